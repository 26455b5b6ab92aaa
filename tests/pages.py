"""What tests read of the portal's pages, as a person reads them: URLs by name, the text without
tags, the error shown next to a field, the messages shown; and the form data of a draft that
passes Moscow's rules."""

import html
import re

from django.contrib.messages import get_messages
from django.urls import reverse

from tests.regions.factories import arrival_checkpoint


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


def text(response) -> str:
    """The page as a person reads it: no tags, entities such as &#x27; turned back into
    characters, runs of white space as one space."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def field_error(response, field: str) -> str:
    """The error crispy-forms renders right under the field (id="error_1_id_<field>")."""
    match = re.search(rf'id="error_1_id_{field}"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert match, f"no error is shown next to {field}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def messages_of(response):
    """The messages the user is shown after this request (with follow=True, on the page reached)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def followed_messages(client, response) -> list[str]:
    """The messages the page the user is sent to would show."""
    found = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', client.get(response["Location"]).content.decode(), re.S)
    return [" ".join(html.unescape(m).split()) for m in found]


def draft_form_data(region, arrival, **overrides):
    data = {
        "region": region.pk,
        "kind": "new",
        "project_name": "Residential block 4",
        "activity_okved": "41.20",
        "planned_arrival_date": arrival.isoformat(),
        "checkpoint": arrival_checkpoint(region).pk,
        "planned_arrival_time": "12:00",
        "transport_to_isolation": "on",
        "isolation_address": "Moscow, Stroiteley 5",
        "isolation_days": "14",
        "insurance_policy": "INGO-123456",
    }
    return {**data, **overrides}
