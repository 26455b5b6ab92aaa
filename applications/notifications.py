"""E-mails about a case, sent after the transaction that changed it has committed.

A failure to send is logged and never undoes the change it reports.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from applications.models import Status, StatusChange
from applications.transitions import TRANSITIONS, Audience

logger = logging.getLogger(__name__)


def _recipients(change: StatusChange, audience: Audience) -> tuple[list[str], str]:
    application = change.application
    if audience == Audience.EMPLOYER:
        emails = [member.user.email for member in application.employer.members.select_related("user") if member.user.is_active]
        return emails, application.employer.language
    if change.transition == "withdraw" and change.from_status == Status.DRAFT:
        return [], "ru"  # officers never saw the draft
    emails = list(application.region.officers.filter(is_active=True).values_list("email", flat=True))
    return emails, "ru"


def notify_transition(*, change_id: int) -> None:
    change = StatusChange.objects.select_related("application__employer", "application__region", "actor").get(pk=change_id)
    transition = TRANSITIONS.get(change.transition)
    if transition is None:
        return
    recipients, language = _recipients(change, transition.notify)
    if not recipients:
        return
    with translation.override(language):
        context = {"change": change, "application": change.application, "transition": transition}
        subject = render_to_string("emails/status_changed_subject.txt", context).strip()
        body = render_to_string("emails/status_changed_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # the decision stands; the e-mail is retried by hand from the log
        logger.exception("Could not send the e-mail about %s (%s)", change.application.reference, change.transition)
