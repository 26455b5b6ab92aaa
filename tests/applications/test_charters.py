"""Charters: a flight, train or bus bringing the workers of several companies to one checkpoint on
one date. The organiser invites companies by INN; a company's cases join only once it accepts,
and only when they match the charter; the officer sees the cases side by side, decides them
together (each through its own decision) and downloads one border list; each company sees only
its own workers."""

import csv
import datetime as dt
import io
import itertools

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from applications import services
from applications.models import (
    Application,
    Charter,
    CharterEvent,
    CharterMember,
    CharterMemberState,
    Status,
    WorkerOutcome,
)
from tests.applications.factories import (
    ApplicationFactory,
    CaseWorkerFactory,
    EmployerFactory,
    EmployerMemberFactory,
    WorkerFactory,
    decide,
)
from tests.concurrency import run_at_once
from tests.portal.factories import UserFactory
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db

ARRIVAL = timezone.localdate() + dt.timedelta(days=20)
_passports = (f"PN{number:07d}" for number in itertools.count(1))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def other_employer(other_employer_user):
    return other_employer_user.employer_membership.employer


@pytest.fixture
def charter(employer, employer_user, moscow):
    return services.charter_create(
        employer=employer, user=employer_user, transport_kind="flight", transport_number="su  1881", region=moscow,
        checkpoint=checkpoint("SVO"), arrival_date=ARRIVAL,
    )


def join(charter, user):
    """The organiser invites the user's company, which accepts."""
    organiser_user = charter.organiser.members.first().user
    services.charter_invite(charter=charter, user=organiser_user, inn=user.employer_membership.employer.inn)
    services.charter_answer(charter=charter, user=user, accept=True)


def case_of(employer, *, status=Status.IN_REVIEW, passports=None, surname="KARIMOV", **fields):
    """A case of the company with a worker per passport (a fresh one by default)."""
    fields.setdefault("planned_arrival_date", ARRIVAL)
    passports = passports or (next(_passports),)
    application = ApplicationFactory(employer=employer, status=status, **fields)
    for number, passport in enumerate(passports):
        worker = WorkerFactory(
            employer=employer, passport_number=passport, citizenship="UZ", surname_latin=f"{surname}{'' if not number else number}",
        )
        CaseWorkerFactory(application=application, worker=worker)
    return application


def signed_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def csv_rows(response):
    body = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# Creating


def test_a_verified_company_creates_a_charter_and_is_its_first_accepted_member(client, employer_user, employer, moscow):
    response = signed_in(client, employer_user).post(reverse("applications:charter-create"), {
        "transport_kind": "flight", "transport_number": " su 1881 ", "region": moscow.pk,
        "checkpoint": checkpoint("SVO").pk, "arrival_date": ARRIVAL.isoformat(),
    })

    charter = Charter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("applications:charter-detail", kwargs={"pk": charter.pk})
    assert charter.reference.startswith("CH-")
    assert charter.transport_number == "SU 1881"
    assert charter.organiser == employer
    member = CharterMember.objects.get(charter=charter)
    assert (member.employer, member.state, member.answered_by) == (employer, CharterMemberState.ACCEPTED, employer_user)
    page = client.get(reverse("applications:charter-detail", kwargs={"pk": charter.pk}))
    assert charter.reference in page.content.decode()
    assert "SU 1881" in page.content.decode()


def test_an_unverified_company_cannot_organise_a_charter(client, employer_user, employer, moscow):
    employer.verified_at = None
    employer.save(update_fields=["verified_at"])

    response = signed_in(client, employer_user).post(reverse("applications:charter-create"), {
        "transport_kind": "train", "transport_number": "054", "region": moscow.pk,
        "checkpoint": checkpoint("SVO").pk, "arrival_date": ARRIVAL.isoformat(),
    }, follow=True)

    assert not Charter.objects.exists()
    assert "once the officers of its region have verified it" in " ".join(page_messages(response))


def test_a_past_arrival_date_is_refused_next_to_the_field(client, employer_user, moscow):
    response = signed_in(client, employer_user).post(reverse("applications:charter-create"), {
        "transport_kind": "flight", "transport_number": "SU 1881", "region": moscow.pk,
        "checkpoint": checkpoint("SVO").pk, "arrival_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    })

    assert response.status_code == 200
    assert "The arrival date has passed" in str(response.context["form"].errors["arrival_date"])
    assert not Charter.objects.exists()


# Inviting and consent


def test_the_organiser_invites_a_company_by_inn_which_sees_the_invitation_and_accepts_it(
    client, charter, employer_user, other_employer_user, other_employer
):
    response = signed_in(client, employer_user).post(
        reverse("applications:charter-invite", kwargs={"pk": charter.pk}), {"inn": f" {other_employer.inn} "}, follow=True
    )
    assert f"{other_employer.name} is invited" in " ".join(page_messages(response))
    assert CharterMember.objects.get(charter=charter, employer=other_employer).state == CharterMemberState.INVITED

    invited = signed_in(client, other_employer_user)
    listing = invited.get(reverse("applications:charter-list")).content.decode()
    assert charter.reference in listing and "Invited: answer the invitation" in listing

    invited.post(reverse("applications:charter-answer", kwargs={"pk": charter.pk}), {"answer": "accept"})

    member = CharterMember.objects.get(charter=charter, employer=other_employer)
    assert (member.state, member.answered_by) == (CharterMemberState.ACCEPTED, other_employer_user)


@pytest.mark.parametrize(
    ("inn", "message"),
    [
        ("7707083893", "No company with this INN is registered on the portal"),
        ("12345", "An INN has 10 digits"),
    ],
)
def test_an_unknown_or_malformed_inn_is_refused_next_to_the_field(client, charter, employer_user, inn, message):
    response = signed_in(client, employer_user).post(reverse("applications:charter-invite", kwargs={"pk": charter.pk}), {"inn": inn})

    assert response.status_code == 200
    assert message in str(response.context["invite_form"].errors["inn"])
    assert CharterMember.objects.filter(charter=charter).count() == 1


def test_inviting_a_company_already_on_the_charter_or_invited_says_so(charter, employer_user, employer, other_employer):
    with pytest.raises(ValidationError) as own:
        services.charter_invite(charter=charter, user=employer_user, inn=employer.inn)
    assert "is already on this charter" in str(own.value.message_dict["inn"])
    services.charter_invite(charter=charter, user=employer_user, inn=other_employer.inn)
    with pytest.raises(ValidationError) as again:
        services.charter_invite(charter=charter, user=employer_user, inn=other_employer.inn)
    assert "is already invited" in str(again.value.message_dict["inn"])


def test_only_the_organiser_invites(charter, other_employer_user):
    join(charter, other_employer_user)
    third = EmployerFactory()

    with pytest.raises(services.TransitionRefused):
        services.charter_invite(charter=charter, user=other_employer_user, inn=third.inn)
    assert not CharterMember.objects.filter(employer=third).exists()


def test_a_company_that_declined_cannot_put_cases_on_the_charter_until_invited_again(charter, employer_user, other_employer_user):
    other = other_employer_user.employer_membership.employer
    services.charter_invite(charter=charter, user=employer_user, inn=other.inn)
    services.charter_answer(charter=charter, user=other_employer_user, accept=False)
    case = case_of(other)

    with pytest.raises(services.TransitionRefused) as refused:
        services.charter_attach(charter=charter, user=other_employer_user, application_ids=[case.pk])
    assert "Accept the invitation first" in refused.value.message

    services.charter_invite(charter=charter, user=employer_user, inn=other.inn)
    services.charter_answer(charter=charter, user=other_employer_user, accept=True)
    services.charter_attach(charter=charter, user=other_employer_user, application_ids=[case.pk])
    assert Application.objects.get(pk=case.pk).charter == charter


# Attaching and detaching


def test_a_member_attaches_its_matching_case_and_the_case_page_names_the_charter(client, charter, other_employer_user):
    join(charter, other_employer_user)
    case = case_of(other_employer_user.employer_membership.employer, status=Status.SUBMITTED)
    client = signed_in(client, other_employer_user)
    page = client.get(reverse("applications:charter-detail", kwargs={"pk": charter.pk})).content.decode()
    assert f'value="{case.pk}"' in page  # offered

    response = client.post(reverse("applications:charter-attach", kwargs={"pk": charter.pk}), {"applications": [case.pk]}, follow=True)

    assert f"1 application is on the charter: {case.reference}." in page_messages(response)
    assert Application.objects.get(pk=case.pk).charter == charter
    event = CharterEvent.objects.get()
    assert (event.application_id, event.action, event.actor) == (case.pk, "attach", other_employer_user)
    case_page = client.get(reverse("applications:application-detail", kwargs={"pk": case.pk})).content.decode()
    assert f"Charter {charter.reference} (flight SU 1881, " in case_page


def test_a_case_of_another_checkpoint_date_or_region_is_refused_naming_why(charter, employer_user, employer):
    elsewhere = case_of(employer, checkpoint=checkpoint("DME"))
    later = case_of(employer, planned_arrival_date=ARRIVAL + dt.timedelta(days=1))
    other_region = case_of(employer, region=region(78), checkpoint=checkpoint("SVO"))
    decided = case_of(employer, status=Status.APPROVED)

    for case, reason in [
        (elsewhere, "crosses the border at Domodedovo"),
        (later, "the charter arrives on"),
        (other_region, "is for work in"),
        (decided, "only an application not yet decided or withdrawn can join"),
    ]:
        with pytest.raises(services.TransitionRefused) as refused:
            services.charter_attach(charter=charter, user=employer_user, application_ids=[case.pk])
        assert case.reference in refused.value.message and reason in refused.value.message
    assert not Application.objects.filter(charter=charter).exists()


def test_the_page_offers_only_the_companys_matching_cases(client, charter, employer_user, employer, other_employer_user):
    matching = case_of(employer, status=Status.DRAFT)
    elsewhere = case_of(employer, checkpoint=checkpoint("DME"))
    someone_elses = case_of(other_employer_user.employer_membership.employer)

    page = signed_in(client, employer_user).get(reverse("applications:charter-detail", kwargs={"pk": charter.pk})).content.decode()

    assert matching.reference in page
    assert elsewhere.reference not in page
    assert someone_elses.reference not in page


def test_another_companys_case_cannot_be_attached_by_id(charter, employer_user, other_employer_user):
    someone_elses = case_of(other_employer_user.employer_membership.employer)

    with pytest.raises(services.TransitionRefused):
        services.charter_attach(charter=charter, user=employer_user, application_ids=[someone_elses.pk])
    assert Application.objects.get(pk=someone_elses.pk).charter is None


def test_a_case_is_detached_while_undecided_and_stays_once_decided(client, charter, employer_user, employer):
    open_case, decided = case_of(employer), case_of(employer)
    services.charter_attach(charter=charter, user=employer_user, application_ids=[open_case.pk, decided.pk])
    Application.objects.filter(pk=decided.pk).update(status=Status.APPROVED)

    client = signed_in(client, employer_user)
    refused = client.post(reverse("applications:charter-detach", kwargs={"pk": charter.pk}), {"applications": [decided.pk]}, follow=True)
    assert f"{decided.reference} is decided" in " ".join(page_messages(refused))
    client.post(reverse("applications:charter-detach", kwargs={"pk": charter.pk}), {"applications": [open_case.pk]})

    assert Application.objects.get(pk=open_case.pk).charter is None
    assert Application.objects.get(pk=decided.pk).charter == charter
    assert list(CharterEvent.objects.filter(application=open_case).values_list("action", flat=True)) == ["attach", "detach"]


def test_a_draft_on_a_charter_keeps_the_charters_date(charter, employer_user, employer):
    draft = case_of(employer, status=Status.DRAFT)
    services.charter_attach(charter=charter, user=employer_user, application_ids=[draft.pk])
    later = timezone.make_aware(dt.datetime.combine(ARRIVAL + dt.timedelta(days=3), dt.time(12)))

    with pytest.raises(services.TransitionRefused) as refused:
        services.application_update_draft(application=draft, user=employer_user, planned_arrival_at=later)

    assert f"is on charter {charter.reference}" in refused.value.message
    assert Application.objects.get(pk=draft.pk).planned_arrival_date == ARRIVAL


def test_a_company_with_cases_on_the_charter_must_take_them_off_before_leaving(charter, other_employer_user):
    join(charter, other_employer_user)
    case = case_of(other_employer_user.employer_membership.employer)
    services.charter_attach(charter=charter, user=other_employer_user, application_ids=[case.pk])

    with pytest.raises(services.TransitionRefused):
        services.charter_leave(charter=charter, user=other_employer_user)
    services.charter_detach(charter=charter, user=other_employer_user, application_ids=[case.pk])
    services.charter_leave(charter=charter, user=other_employer_user)

    assert CharterMember.objects.get(charter=charter, employer=case.employer).state == CharterMemberState.LEFT


# Tenancy


def test_a_company_sees_the_others_only_as_names_and_counts(client, charter, employer_user, employer, other_employer_user):
    join(charter, other_employer_user)
    other = other_employer_user.employer_membership.employer
    theirs = case_of(other, passports=("ZZ9999999", "ZZ8888888"), surname="SECRETOV")
    services.charter_attach(charter=charter, user=other_employer_user, application_ids=[theirs.pk])
    mine = case_of(employer, passports=("AA1111111",), surname="MINEOV")
    services.charter_attach(charter=charter, user=employer_user, application_ids=[mine.pk])

    page = signed_in(client, employer_user).get(reverse("applications:charter-detail", kwargs={"pk": charter.pk}))
    body = page.content.decode()

    assert other.name in body
    summary = {row.member.employer_id: (row.cases, row.workers) for row in page.context["members"]}
    assert summary == {employer.pk: (1, 1), other.pk: (1, 2)}
    for secret in (theirs.reference, "SECRETOV", "ZZ9999999", "ZZ8888888"):
        assert secret not in body
    assert mine.reference in body


def test_a_company_not_on_the_charter_gets_404(client, charter):
    outsider = EmployerMemberFactory(employer=EmployerFactory(), user=UserFactory()).user
    client = signed_in(client, outsider)

    assert client.get(reverse("applications:charter-detail", kwargs={"pk": charter.pk})).status_code == 404
    assert client.post(reverse("applications:charter-answer", kwargs={"pk": charter.pk}), {"answer": "accept"}).status_code == 404
    assert charter.reference not in client.get(reverse("applications:charter-list")).content.decode()


def test_an_officer_of_another_region_gets_404_for_the_charter_and_its_border_list(client, charter, officer_spb):
    client = signed_in(client, officer_spb)

    assert client.get(reverse("applications:review-charter-detail", kwargs={"pk": charter.pk})).status_code == 404
    assert client.get(reverse("applications:review-charter-border-list", kwargs={"pk": charter.pk})).status_code == 404
    assert client.post(reverse("applications:review-charter-decide", kwargs={"pk": charter.pk}), {}).status_code == 404
    assert charter.reference not in client.get(reverse("applications:review-charter-list")).content.decode()


# The officer


@pytest.fixture
def two_companies_on_charter(charter, employer_user, employer, other_employer_user, moscow_rules, threshold):
    join(charter, other_employer_user)
    other = other_employer_user.employer_membership.employer
    mine = case_of(employer, passports=("AA1111111",), surname="AZIMOV")
    theirs = case_of(other, passports=("BB2222222",), surname="BOBOEV")
    services.charter_attach(charter=charter, user=employer_user, application_ids=[mine.pk])
    services.charter_attach(charter=charter, user=other_employer_user, application_ids=[theirs.pk])
    return mine, theirs


def decide_form(*cases, action="approve", reason=""):
    data = {"cases": [case.pk for case in cases], "action": action, "reason": reason}
    for case in cases:
        data[f"version-{case.pk}"] = Application.objects.get(pk=case.pk).version
    return data


def test_the_officer_sees_the_charters_cases_side_by_side_without_drafts(client, charter, officer, two_companies_on_charter, employer):
    mine, theirs = two_companies_on_charter
    draft = case_of(employer, status=Status.DRAFT)
    Application.objects.filter(pk=draft.pk).update(charter=charter)

    client = signed_in(client, officer)
    body = client.get(reverse("applications:review-charter-detail", kwargs={"pk": charter.pk})).content.decode()

    assert mine.reference in body and theirs.reference in body and draft.reference not in body
    assert mine.employer.name in body and theirs.employer.name in body
    assert charter.reference in client.get(reverse("applications:review-charter-list")).content.decode()
    case_page = client.get(reverse("applications:review-detail", kwargs={"pk": mine.pk})).content.decode()
    assert reverse("applications:review-charter-detail", kwargs={"pk": charter.pk}) in case_page


@pytest.mark.parametrize("typed", ["{reference}", "{number}", "ch-{number}"])
def test_the_queue_filters_by_charter_as_printed_or_read_out(client, charter, officer, two_companies_on_charter, employer, typed):
    mine, theirs = two_companies_on_charter
    elsewhere = case_of(employer)
    query = typed.format(reference=charter.reference, number=int(charter.reference.removeprefix("CH-")))

    body = signed_in(client, officer).get(reverse("applications:review-queue"), {"charter": query}).content.decode()

    assert mine.reference in body and theirs.reference in body
    assert elsewhere.reference not in body


def test_deciding_together_approves_the_passing_and_names_each_case_that_was_not(
    client, charter, officer, two_companies_on_charter, employer, employer_user
):
    mine, theirs = two_companies_on_charter
    stale_test = case_of(employer, passports=("CC3333333",), surname="STALEOV")
    stale_test.lines.update(
        pcr_test_taken_at=timezone.make_aware(dt.datetime.combine(ARRIVAL - dt.timedelta(days=5), dt.time(10)))
    )
    services.charter_attach(charter=charter, user=employer_user, application_ids=[stale_test.pk])

    response = signed_in(client, officer).post(
        reverse("applications:review-charter-decide", kwargs={"pk": charter.pk}), decide_form(mine, theirs, stale_test), follow=True
    )

    assert response.status_code == 200
    shown = page_messages(response)
    assert f"2 approved: {mine.reference}, {theirs.reference}." in shown
    refusal = next(message for message in shown if message.startswith(stale_test.reference))
    assert "was not decided" in refusal
    statuses = dict(Application.objects.filter(charter=charter).values_list("reference", "status"))
    assert statuses == {mine.reference: Status.APPROVED, theirs.reference: Status.APPROVED, stale_test.reference: Status.IN_REVIEW}


def test_rejecting_together_needs_a_reason_next_to_the_field(client, charter, officer, two_companies_on_charter):
    mine, theirs = two_companies_on_charter
    client = signed_in(client, officer)
    url = reverse("applications:review-charter-decide", kwargs={"pk": charter.pk})

    response = client.post(url, decide_form(mine, theirs, action="reject"))
    assert response.status_code == 200
    assert "required to reject" in str(response.context["form"].errors["reason"])
    assert not Application.objects.filter(status=Status.REJECTED).exists()

    client.post(url, decide_form(mine, theirs, action="reject", reason="The flight was cancelled by the headquarters."))
    assert set(Application.objects.filter(charter=charter).values_list("status", flat=True)) == {Status.REJECTED}


def test_a_case_changed_since_the_page_was_opened_is_not_decided_unseen(client, charter, officer, two_companies_on_charter):
    mine, theirs = two_companies_on_charter
    data = decide_form(mine, theirs)
    Application.objects.filter(pk=theirs.pk).update(version=theirs.version + 5)

    response = signed_in(client, officer).post(reverse("applications:review-charter-decide", kwargs={"pk": charter.pk}), data, follow=True)

    assert any(message.startswith(theirs.reference) and "changed since you opened it" in message for message in page_messages(response))
    assert Application.objects.get(pk=mine.pk).status == Status.APPROVED
    assert Application.objects.get(pk=theirs.pk).status == Status.IN_REVIEW


def test_a_case_not_in_review_cannot_be_ticked(client, charter, officer, two_companies_on_charter, employer, employer_user):
    submitted = case_of(employer, status=Status.SUBMITTED, passports=("DD4444444",))
    services.charter_attach(charter=charter, user=employer_user, application_ids=[submitted.pk])

    response = signed_in(client, officer).post(
        reverse("applications:review-charter-decide", kwargs={"pk": charter.pk}), decide_form(submitted)
    )

    assert response.status_code == 200
    assert "no longer in review" in str(response.context["form"].errors["cases"])
    assert Application.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_the_same_person_on_two_companies_cases_is_approved_once_through_the_decide_together_form(
    client, charter, officer, employer, employer_user, other_employer_user, moscow_rules, threshold
):
    join(charter, other_employer_user)
    other = other_employer_user.employer_membership.employer
    mine = case_of(employer, passports=("AA1111111",), surname="TWICEOV")
    theirs = case_of(other, passports=("AA1111111", "BB2222222"), surname="TWICEOV")
    services.charter_attach(charter=charter, user=employer_user, application_ids=[mine.pk])
    services.charter_attach(charter=charter, user=other_employer_user, application_ids=[theirs.pk])
    client = signed_in(client, officer)
    url = reverse("applications:review-charter-decide", kwargs={"pk": charter.pk})

    # Both at once: the person is on two live cases for the same time, a blocking failure of each.
    shown = " ".join(page_messages(client.post(url, decide_form(mine, theirs), follow=True)))
    assert f"{mine.reference} ({employer.name}) was not decided" in shown
    assert f"{theirs.reference} ({other.name}) was not decided" in shown
    assert not Application.objects.filter(charter=charter, status=Status.APPROVED).exists()

    # The officer approves the person on one case, overriding the check on its own page...
    services.application_approve(
        application=mine, user=officer, overrides={mine.lines.get().pk: "The other company takes this worker off its list."},
    )
    # ...then the other case, ticked on the charter's page, is not approved for the same person.
    shown = " ".join(page_messages(client.post(url, decide_form(theirs), follow=True)))

    assert f"{theirs.reference} ({other.name}) was not decided" in shown
    assert mine.reference in shown
    assert Application.objects.get(pk=theirs.pk).status == Status.IN_REVIEW


# The charter's border list


def test_the_border_list_lists_every_companys_approved_people_each_passport_once(
    client, charter, officer, employer, employer_user, other_employer_user, moscow_rules
):
    join(charter, other_employer_user)
    other = other_employer_user.employer_membership.employer
    mine = case_of(employer, status=Status.APPROVED, passports=("AA1111111", "CC3333333"), surname="MINEOV")
    # The same person approved by both companies (before the overlap guard, or by an override).
    theirs = case_of(other, status=Status.PARTIALLY_APPROVED, passports=("AA1111111", "BB2222222", "RR0000000"), surname="THEIROV")
    theirs.lines.filter(worker__passport_number="RR0000000").update(outcome=WorkerOutcome.REFUSED, refusal_reason="pcr_test")
    not_on_it = case_of(employer, status=Status.APPROVED, passports=("XX7777777",), surname="ELSEWHEREOV")
    Application.objects.filter(pk__in=[mine.pk, theirs.pk]).update(charter=charter)
    for case in (mine, theirs, not_on_it):
        decide(case, user=officer)

    response = signed_in(client, officer).get(reverse("applications:review-charter-border-list", kwargs={"pk": charter.pk}))

    assert response["Content-Disposition"].startswith(f'attachment; filename="border-list-{charter.reference}-')
    rows = csv_rows(response)
    passports = sorted(row[5] for row in rows[1:])
    assert passports == ["AA1111111", "BB2222222", "CC3333333"]
    from applications.exports import BORDER_LIST_HEADER

    assert rows[0] == [str(title) for title in BORDER_LIST_HEADER]


def test_the_border_list_guards_against_formulas_as_the_regions_list_does(client, charter, officer, employer, moscow_rules):
    case = case_of(employer, status=Status.APPROVED, passports=("AA1111111",), surname="=HYPERLINK(1)")
    Application.objects.filter(pk=case.pk).update(charter=charter)
    decide(case, user=officer)

    rows = csv_rows(signed_in(client, officer).get(reverse("applications:review-charter-border-list", kwargs={"pk": charter.pk})))

    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_admin_lists_charters(client, charter, admin_user):
    response = signed_in(client, admin_user).get(reverse("admin:applications_charter_changelist"))

    assert response.status_code == 200
    assert charter.reference in response.content.decode()


# At once, and at size


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_case_put_on_two_charters_at_once_joins_one():
    member = EmployerMemberFactory()
    moscow = region(77)
    for round_ in range(3):
        charters = [
            services.charter_create(
                employer=member.employer, user=member.user, transport_kind="flight", transport_number=f"SU {number}",
                region=moscow, checkpoint=checkpoint("SVO"), arrival_date=ARRIVAL,
            )
            for number in (1881, 1883)
        ]
        case = case_of(member.employer, status=Status.SUBMITTED)

        def attach(charter, case=case):
            def action():
                with translation.override("en"):  # each thread speaks the language of the strings
                    return services.charter_attach(charter=charter, user=member.user, application_ids=[case.pk])
            return action

        results = run_at_once([attach(charters[0]), attach(charters[1])])

        refusals = [result for result in results if isinstance(result, services.TransitionRefused)]
        assert len(refusals) == 1 and len([result for result in results if isinstance(result, list)]) == 1, f"round {round_}: {results}"
        assert "is on another charter" in refusals[0].message
        assert CharterEvent.objects.filter(application=case).count() == 1


def test_the_officers_charter_page_takes_as_many_queries_for_one_case_as_for_twelve(
    client, charter, officer, employer, employer_user, django_assert_num_queries
):
    client = signed_in(client, officer)
    url = reverse("applications:review-charter-detail", kwargs={"pk": charter.pk})
    services.charter_attach(charter=charter, user=employer_user, application_ids=[case_of(employer).pk])
    client.get(url)  # the session and the officer's regions, read once

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    more = [case_of(EmployerFactory()).pk for _ in range(11)]
    Application.objects.filter(pk__in=more).update(charter=charter)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("review/applications/") >= 12
