"""E-mails about a case, sent after the transaction that changed it has committed.

The company's e-mails go to every active member, in the company's language of letters; the
region's go to its active officers, in Russian. Each names the case by its reference and gives
the path of its page on the portal. A failure to send is logged and never undoes the change it
reports.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from applications.models import DocumentKind, Status, StatusChange
from applications.transitions import TRANSITIONS, Audience

logger = logging.getLogger(__name__)

# Officers' letters are in the language of the authority.
OFFICERS_LANGUAGE = "ru"


def _recipients(change: StatusChange, audience: Audience) -> tuple[list[str], str]:
    application = change.application
    if audience == Audience.EMPLOYER:
        emails = [
            member.user.email
            for member in application.employer.members.select_related("user").order_by("pk")
            if member.user.is_active and member.user.email
        ]
        return emails, application.employer.language
    if change.transition == "withdraw" and change.from_status == Status.DRAFT:
        return [], OFFICERS_LANGUAGE  # officers never saw the draft
    emails = list(application.region.officers.filter(is_active=True).values_list("email", flat=True))
    return emails, OFFICERS_LANGUAGE


def _case_path(change: StatusChange, audience: Audience) -> str:
    """The path of the case's page for the recipients. The portal has no setting for its own
    address yet, so the letter gives the path and the reference number, not a full link."""
    name = "applications:application-detail" if audience == Audience.EMPLOYER else "applications:review-detail"
    return reverse(name, kwargs={"pk": change.application_id})


def notify_transition(*, change_id: int) -> None:
    change = StatusChange.objects.select_related("application__employer", "application__region", "actor").get(pk=change_id)
    transition = TRANSITIONS.get(change.transition)
    if transition is None:
        return
    recipients, language = _recipients(change, transition.notify)
    if not recipients:
        return
    with translation.override(language):
        context = {
            "change": change,
            "application": change.application,
            "transition": transition,
            "case_path": _case_path(change, transition.notify),
            "requested_documents": [DocumentKind(kind).label for kind in change.requested_documents if kind in DocumentKind.values],
        }
        subject = " ".join(render_to_string("emails/status_changed_subject.txt", context).split())
        body = render_to_string("emails/status_changed_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # the decision stands; the e-mail is retried by hand from the log
        logger.exception("Could not send the e-mail about %s (%s)", change.application.reference, change.transition)
