"""Rule versions in Django admin: a version in force is kept as it is, a draft can be edited, and a
change to the rules is made by copying a version into a new draft."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from regions.admin import RuleSetAdmin
from regions.models import ActType, CitizenshipPolicy, PcrTestTiming, RuleSet
from regions.services import rule_set_copy_as_draft
from tests.helpers.rule_set_admin import ADD, CHANGELIST, change_url, form_data
from tests.pages import messages_of
from tests.regions.factories import RuleSetFactory, region

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


# A version in force is kept as it is


def test_a_version_in_force_is_shown_without_inputs_or_a_save_button(admin_client_, moscow_rules):
    page = admin_client_.get(change_url(moscow_rules)).content.decode()

    assert 'name="isolation_days"' not in page
    assert 'name="_save"' not in page
    assert "in force since 06/01/2020" in page


def test_posting_a_change_to_a_version_in_force_changes_nothing(admin_client_, moscow_rules):
    response = admin_client_.post(change_url(moscow_rules), form_data(moscow_rules, isolation_days=7, intake_open=False))

    assert response.status_code == 302
    moscow_rules.refresh_from_db()
    assert moscow_rules.isolation_days == 14
    assert moscow_rules.intake_open is True
    assert messages_of(response) == [
        f"“{moscow_rules}” was not changed: This version has been in force since 06/01/2020 (by the region's clock)."
    ]


def test_a_version_in_force_cannot_be_deleted(admin_client_, moscow_rules):
    response = admin_client_.get(reverse("admin:regions_ruleset_delete", args=[moscow_rules.pk]))
    assert response.status_code == 302
    assert messages_of(response)[0].startswith(f"“{moscow_rules}” was not deleted:")
    assert "deletelink" not in admin_client_.get(change_url(moscow_rules)).content.decode()


def test_the_bulk_delete_action_does_not_delete_a_version_in_force(admin_client_, moscow_rules):
    admin_client_.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [moscow_rules.pk], "post": "yes"})

    assert RuleSet.objects.filter(pk=moscow_rules.pk).exists()


# A draft (a version not published) can be edited


def test_a_draft_can_be_edited(admin_client_, moscow):
    draft = RuleSetFactory(region=moscow, effective_from=today() + dt.timedelta(days=10), published_at=None)

    response = admin_client_.post(change_url(draft), form_data(draft, isolation_days=10, monthly_worker_quota=500))

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.isolation_days, draft.monthly_worker_quota) == (10, 500)


def test_a_draft_cannot_be_moved_into_the_past(admin_client_, moscow):
    draft = RuleSetFactory(region=moscow, effective_from=today() + dt.timedelta(days=10), published_at=None)

    response = admin_client_.post(change_url(draft), form_data(draft, effective_from=today() - dt.timedelta(days=1)))

    assert response.status_code == 200
    assert "effective_from" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.effective_from == today() + dt.timedelta(days=10)


def test_a_draft_can_be_deleted(admin_client_, moscow):
    draft = RuleSetFactory(region=moscow, effective_from=today() + dt.timedelta(days=10), published_at=None)

    admin_client_.post(reverse("admin:regions_ruleset_delete", args=[draft.pk]), {"post": "yes"})

    assert not RuleSet.objects.filter(pk=draft.pk).exists()


# Adding a version


def test_adding_a_version_dated_in_the_past_shows_an_error_next_to_in_force_from(admin_client_, moscow):
    yesterday = today() - dt.timedelta(days=1)

    response = admin_client_.post(ADD, form_data(region=moscow.pk, effective_from=yesterday))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["effective_from"]
    assert "cannot start in the past" in errors["effective_from"][0]
    assert "cannot start in the past" in response.content.decode()
    assert not RuleSet.objects.filter(region=moscow).exists()


def test_adding_a_version_records_the_admin_who_created_it(admin_client_, admin_user, moscow):
    response = admin_client_.post(ADD, form_data(region=moscow.pk, effective_from=today() + dt.timedelta(days=3)))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RuleSet.objects.get(region=moscow).created_by == admin_user


def test_the_legal_basis_is_entered_as_type_issuing_body_date_and_number(admin_client_, moscow):
    form = admin_client_.get(ADD).context["adminform"].form
    assert {"legal_basis_type", "legal_basis_body", "legal_basis_number", "legal_basis_date"} <= set(form.fields)

    response = admin_client_.post(
        ADD,
        form_data(
            region=moscow.pk, effective_from=today() + dt.timedelta(days=3), legal_basis_type=ActType.DECREE,
            legal_basis_body="Мэра Москвы", legal_basis_number="65-УМ", legal_basis_date=dt.date(2020, 5, 29),
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    with translation.override("ru"):
        assert RuleSet.objects.get(region=moscow).legal_basis_display == "указ Мэра Москвы от 29.05.2020 № 65-УМ"


def test_citizenships_are_typed_as_comma_separated_codes(admin_client_, moscow):
    response = admin_client_.post(
        ADD,
        form_data(
            region=moscow.pk, effective_from=today() + dt.timedelta(days=3),
            citizenship_policy=CitizenshipPolicy.ONLY_LISTED, citizenships=["uz", " tj", "KG ", "UZ"],
            closed_activities=["47.7", "49.3"],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    version = RuleSet.objects.get(region=moscow)
    assert version.citizenships == ["UZ", "TJ", "KG"]
    assert version.closed_activities == ["47.7", "49.3"]


def test_the_citizenship_field_says_to_separate_codes_with_commas(admin_client_):
    form = admin_client_.get(ADD).context["adminform"].form

    assert "Separate several with commas." in str(form.fields["citizenships"].help_text)
    assert "Separate several with commas." in str(form.fields["closed_activities"].help_text)


def test_a_listed_citizenship_policy_without_citizenships_is_refused_next_to_the_list(admin_client_, moscow):
    response = admin_client_.post(
        ADD,
        form_data(
            region=moscow.pk, effective_from=today() + dt.timedelta(days=3), citizenship_policy=CitizenshipPolicy.ONLY_LISTED
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["citizenships"] == ["List the citizenships this policy refers to."]


def test_an_unknown_country_code_is_refused(admin_client_, moscow):
    response = admin_client_.post(
        ADD,
        form_data(
            region=moscow.pk, effective_from=today() + dt.timedelta(days=3),
            citizenship_policy=CitizenshipPolicy.ALL_EXCEPT_LISTED, citizenships=["UZ", "XX"],
        ),
    )

    assert response.status_code == 200
    assert "XX" in response.context["adminform"].form.errors["citizenships"][0]


# Copying a version as a new draft


@pytest.fixture
def strict_moscow_rules(moscow):
    return RuleSetFactory(
        region=moscow, effective_from=dt.date(2021, 3, 1), isolation_days=14, isolation_until_test_result=True,
        pcr_test_timing=PcrTestTiming.BEFORE_OR_AFTER_ARRIVAL, pcr_max_age_hours=48, vaccination_required=True,
        monthly_worker_quota=1200, max_workers_per_application=300, citizenship_policy=CitizenshipPolicy.ONLY_LISTED,
        citizenships=["UZ", "TJ"], closed_activities=["47.7"], days_to_decide=15,
        legal_basis_type=ActType.DECREE, legal_basis_body="Мэра Москвы", legal_basis_number="12-УМ",
        legal_basis_date=dt.date(2021, 2, 20), notes="Vaccination booked by the employer.",
    )


def copy(client, *rule_sets):
    return client.post(CHANGELIST, {"action": "copy_as_draft", "_selected_action": [r.pk for r in rule_sets]})


LEGAL_BASIS_AND_NOTES = {"legal_basis_type", "legal_basis_body", "legal_basis_number", "legal_basis_date", "notes"}
RULE_FIELDS = [
    name for name in model_to_dict(RuleSet())
    if name not in {"id", "effective_from", "created_at", "created_by", *LEGAL_BASIS_AND_NOTES}
]


def test_copying_a_version_creates_a_draft_with_the_same_rules_from_tomorrow(
    admin_client_, admin_user, strict_moscow_rules
):
    response = copy(admin_client_, strict_moscow_rules)

    draft = RuleSet.objects.exclude(pk=strict_moscow_rules.pk).get()
    assert draft.effective_from == today() + dt.timedelta(days=1)
    assert model_to_dict(draft, fields=RULE_FIELDS) == model_to_dict(strict_moscow_rules, fields=RULE_FIELDS)
    assert draft.created_by == admin_user
    assert (draft.published_at, draft.published_by) == (None, None)
    assert draft.is_editable()
    [message] = messages_of(response)
    assert "Created a draft version" in message
    assert "It applies to no case until it is published" in message
    assert f'href="{change_url(draft)}"' in message


def test_copying_a_version_leaves_out_its_legal_basis_and_notes(admin_client_, moscow):
    source = RuleSetFactory(
        region=moscow, effective_from=dt.date(2021, 3, 1), legal_basis_type=ActType.RESOLUTION,
        legal_basis_body="Мэра Москвы", legal_basis_number="12-УМ", legal_basis_date=dt.date(2021, 2, 26),
        notes="ПЦР-тест не старше 72 часов.",
    )

    copy(admin_client_, source)

    draft = RuleSet.objects.exclude(pk=source.pk).get()
    assert model_to_dict(draft, fields=LEGAL_BASIS_AND_NOTES) == {
        "legal_basis_type": "", "legal_basis_body": "", "legal_basis_number": "", "legal_basis_date": None, "notes": "",
    }
    page = admin_client_.get(change_url(draft)).content.decode()
    assert "12-УМ" not in page and "ПЦР-тест не старше" not in page


def test_copying_dates_the_draft_the_day_after_the_regions_latest_version(admin_client_, moscow_rules):
    latest = RuleSetFactory(region=moscow_rules.region, effective_from=today() + dt.timedelta(days=30))

    copy(admin_client_, moscow_rules)

    draft = RuleSet.objects.exclude(pk__in=[moscow_rules.pk, latest.pk]).get()
    assert draft.effective_from == latest.effective_from + dt.timedelta(days=1)


def test_copying_two_versions_of_one_region_gives_two_consecutive_drafts(admin_client_, moscow_rules, strict_moscow_rules):
    copy(admin_client_, moscow_rules, strict_moscow_rules)

    drafts = RuleSet.objects.filter(effective_from__gt=today()).order_by("effective_from")
    assert [d.effective_from for d in drafts] == [today() + dt.timedelta(days=1), today() + dt.timedelta(days=2)]


def test_a_draft_cannot_be_copied_to_a_date_already_in_force(admin_user, moscow_rules):
    with pytest.raises(ValidationError) as error:
        rule_set_copy_as_draft(rule_set=moscow_rules, user=admin_user, effective_from=today())

    assert "effective_from" in error.value.message_dict
    assert RuleSet.objects.count() == 1


def test_a_draft_can_be_copied_to_a_chosen_future_date(admin_user, moscow_rules):
    chosen = today() + dt.timedelta(days=45)

    draft = rule_set_copy_as_draft(rule_set=moscow_rules, user=admin_user, effective_from=chosen)

    assert (draft.region, draft.effective_from, draft.created_by) == (moscow_rules.region, chosen, admin_user)


def test_an_officer_cannot_copy_rules(officer, moscow_rules):
    with pytest.raises(PermissionDenied):
        rule_set_copy_as_draft(rule_set=moscow_rules, user=officer)


# Finding regions and versions


def test_searching_regions_for_mosk_finds_moscow_and_not_saint_petersburg(admin_client_, moscow, spb):
    found = list(admin_client_.get(reverse("admin:regions_region_changelist"), {"q": "Моск"}).context["cl"].result_list)

    assert moscow in found
    assert spb not in found


def test_searching_regions_by_number_finds_the_region(admin_client_, moscow):
    found = list(admin_client_.get(reverse("admin:regions_region_changelist"), {"q": "77"}).context["cl"].result_list)

    assert found == [moscow]


def test_searching_rule_versions_by_region_name_finds_that_regions_versions(admin_client_, moscow_rules, spb):
    spb_rules = RuleSetFactory(region=spb)

    found = list(admin_client_.get(CHANGELIST, {"q": "Моск"}).context["cl"].result_list)

    assert moscow_rules in found
    assert spb_rules not in found


def test_the_region_field_of_a_version_suggests_regions_as_you_type(admin_client_, moscow):
    response = admin_client_.get(
        reverse("admin:autocomplete"),
        {"term": "Моск", "app_label": "regions", "model_name": "ruleset", "field_name": "region"},
    )

    assert str(moscow.pk) in [result["id"] for result in response.json()["results"]]


def test_the_region_page_links_to_its_rule_versions(admin_client_, moscow_rules):
    page = admin_client_.get(reverse("admin:regions_region_change", args=[moscow_rules.region_id])).content.decode()

    assert f"?region__id__exact={moscow_rules.region_id}" in page
    assert change_url(moscow_rules) in page
    listed = admin_client_.get(CHANGELIST, {"region__id__exact": moscow_rules.region_id}).context["cl"].result_list
    assert list(listed) == [moscow_rules]


def test_the_version_list_costs_the_same_queries_for_1_and_50_versions(admin_client_, moscow_rules):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client_.get(CHANGELIST).status_code == 200
        return len(captured)

    one = queries()
    for number in range(1, 50):
        RuleSetFactory(region=region(number), effective_from=dt.date(2021, 1, 1))
    assert queries() == one


def test_the_list_says_which_version_is_in_force(admin_client_, moscow_rules):
    newer = RuleSetFactory(region=moscow_rules.region, effective_from=dt.date(2021, 1, 1))
    scheduled = RuleSetFactory(region=moscow_rules.region, effective_from=today() + dt.timedelta(days=5))
    draft = RuleSetFactory(region=moscow_rules.region, effective_from=dt.date(2021, 2, 1), published_at=None)
    rows = {r.pk: r for r in admin_client_.get(CHANGELIST).context["cl"].result_list}

    state = RuleSetAdmin(RuleSet, admin.site).state
    with translation.override("en"):
        assert [state(rows[v.pk]) for v in (moscow_rules, newer, scheduled, draft)] == [
            "Superseded", "In force", "Published, not yet in force", "Draft, not published",
        ]


# Working days to decide and to answer a request


def test_a_new_version_offers_5_working_days_to_decide_and_5_to_answer(admin_client_):
    page = admin_client_.get(ADD).content.decode()

    assert 'name="days_to_decide" value="5"' in page
    assert 'name="days_to_answer" value="5"' in page
    assert "Working days to decide" in page and "Working days to answer a request" in page


def test_the_working_days_to_answer_are_kept_with_the_version(admin_client_, moscow):
    response = admin_client_.post(
        ADD, form_data(region=moscow.pk, effective_from=today() + dt.timedelta(days=3), days_to_decide=7, days_to_answer=12)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RuleSet.objects.values_list("days_to_decide", "days_to_answer").get(region=moscow) == (7, 12)


@pytest.mark.parametrize("days", [0, 31])
def test_working_days_to_answer_outside_1_to_30_are_refused_next_to_the_field(admin_client_, moscow, days):
    response = admin_client_.post(
        ADD, form_data(region=moscow.pk, effective_from=today() + dt.timedelta(days=3), days_to_answer=days)
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["days_to_answer"]
    assert not RuleSet.objects.filter(region=moscow).exists()


def test_copying_a_version_keeps_its_working_days_to_answer(admin_user, moscow):
    source = RuleSetFactory(region=moscow, days_to_answer=9)
    assert rule_set_copy_as_draft(rule_set=source, user=admin_user).days_to_answer == 9
