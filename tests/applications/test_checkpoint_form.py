"""The employer chooses the border crossing point from a searchable list that shows each
point's kind and region, or "Other crossing" with its name and region; the case pages show it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from applications.models import Application, Status
from regions.models import Checkpoint
from tests.applications.factories import ApplicationFactory
from tests.pages import draft_form_data, field_error, text, url
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrival():
    return timezone.localdate() + dt.timedelta(days=20)


def test_the_list_shows_each_points_kind_and_region_and_can_be_searched(employer_client):
    page = employer_client.get(url("application-create")).content.decode()

    select = re.search(r'<select name="checkpoint"[^>]*>', page).group(0)
    assert "data-country-search" in select  # static/js/country-search.js adds the search box
    assert "Sheremetyevo — airport (SVO), Moscow Oblast" in page
    assert "Verkhny Lars — road crossing, Republic of North Ossetia – Alania" in page
    assert "Zabaikalsk — railway crossing, Zabaykalsky Krai" in page
    assert re.search(r'<option value="other"[^>]*>Other crossing \(not in the list\)</option>', page)
    assert "js/checkpoint-choice.js" in page
    assert "<script>" not in page and " style=" not in page  # the CSP allows neither


def test_choosing_a_checkpoint_saves_it(employer_client, employer, moscow, arrival):
    pulkovo = checkpoint("LED")
    employer_client.post(url("application-create"), draft_form_data(moscow, arrival, checkpoint=pulkovo.pk))

    case = Application.objects.get(employer=employer)
    assert (case.checkpoint, case.border_crossing_point, case.border_region) == (pulkovo, "", None)


def test_a_checkpoint_chosen_after_typing_another_crossing_leaves_no_other_crossing(employer_client, employer, moscow, arrival):
    data = draft_form_data(moscow, arrival, checkpoint=checkpoint("VKO").pk, border_crossing_point="Some road", border_region=region(39).pk)
    employer_client.post(url("application-create"), data)

    case = Application.objects.get(employer=employer)
    assert (case.checkpoint.code, case.border_crossing_point, case.border_region) == ("VKO", "", None)


def test_another_crossing_is_saved_with_its_region(employer_client, employer, moscow, arrival):
    data = draft_form_data(moscow, arrival, checkpoint="other", border_crossing_point="Mamonovo", border_region=region(39).pk)
    employer_client.post(url("application-create"), data)

    case = Application.objects.get(employer=employer)
    assert (case.checkpoint, case.border_crossing_point, case.border_region.number) == (None, "Mamonovo", 39)
    assert str(case.arrival_zone) == "Europe/Kaliningrad"


def test_another_crossing_needs_its_name_and_its_region_each_asked_next_to_its_field(employer_client, employer, moscow, arrival):
    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival, checkpoint="other"))

    assert field_error(response, "border_crossing_point") == "Name the crossing point."
    assert field_error(response, "border_region") == "Choose the region where this crossing is."
    assert not Application.objects.filter(employer=employer).exists()


def test_no_crossing_at_all_is_asked_for_next_to_the_list(employer_client, employer, moscow, arrival):
    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival, checkpoint=""))

    assert field_error(response, "checkpoint") == "Choose the border crossing point, or “Other crossing” at the end of the list."
    assert not Application.objects.filter(employer=employer).exists()


@pytest.mark.parametrize("value", ["999999", "SVO", "<b>"])
def test_a_checkpoint_not_in_the_list_is_refused_next_to_the_list(employer_client, employer, moscow, arrival, value):
    response = employer_client.post(url("application-create"), draft_form_data(moscow, arrival, checkpoint=value))

    assert "Select a valid choice" in field_error(response, "checkpoint")
    assert not Application.objects.filter(employer=employer).exists()


def test_a_closed_checkpoint_is_not_offered_for_a_new_case_but_stays_on_a_case_that_named_it(employer_client, employer):
    closed = checkpoint("GDX")
    Checkpoint.objects.filter(pk=closed.pk).update(active=False)
    assert "Sokol (Magadan)" not in employer_client.get(url("application-create")).content.decode()

    case = ApplicationFactory(employer=employer, checkpoint=closed)
    page = employer_client.get(url("application-edit", case.pk)).content.decode()
    assert re.search(rf'<option value="{closed.pk}" selected>', page)


def test_editing_another_crossing_shows_other_chosen_with_its_name_and_region(employer_client, employer):
    case = ApplicationFactory(employer=employer, border_crossing_point="Mamonovo", border_region=region(39))

    page = employer_client.get(url("application-edit", case.pk)).content.decode()

    assert re.search(r'<option value="other" selected>', page)
    assert 'value="Mamonovo"' in page


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED])
def test_the_employers_case_page_names_the_checkpoint_with_its_kind_and_region(employer_client, employer, status):
    case = ApplicationFactory(employer=employer, checkpoint=checkpoint("PKC"), status=status)

    assert "Yelizovo (Petropavlovsk-Kamchatsky) — airport (PKC), Kamchatka Krai" in text(employer_client.get(url("application-detail", case.pk)))


def test_the_officers_case_page_names_another_crossing_with_its_region(client, officer, employer):
    case = ApplicationFactory(
        employer=employer, status=Status.SUBMITTED, border_crossing_point="Mamonovo", border_region=region(39)
    )
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(officer)

    assert "Mamonovo, Kaliningrad Oblast" in text(client.get(url("review-detail", case.pk)))
