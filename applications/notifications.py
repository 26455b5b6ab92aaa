"""E-mails about a case. They are sent by background tasks (applications/tasks.py), enqueued only
after the transaction that changed the case has committed, so a web request never waits for SMTP
and an e-mail that cannot be sent never undoes the change it reports.

The company's e-mails go to every active member, in the company's language of letters; the
region's go to its active officers, in Russian. Each names the case by its reference and links
to its page on the portal at PORTAL_BASE_URL. The functions here raise when the mail server
refuses or cannot be reached: the task that calls them decides whether to try again.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from applications.models import DocumentKind, EmployerEvent, Status, StatusChange
from applications.transitions import TRANSITIONS, Audience
from portal.email_text import render_email

# Officers' letters are in the language of the authority.
OFFICERS_LANGUAGE = "ru"


def _recipients(change: StatusChange, audience: Audience) -> tuple[list[str], str]:
    application = change.application
    if audience == Audience.EMPLOYER:
        return _employer_emails(application), application.employer.language
    if change.transition == "withdraw" and change.from_status == Status.DRAFT:
        return [], OFFICERS_LANGUAGE  # officers never saw the draft
    emails = list(application.region.officers.filter(is_active=True).values_list("email", flat=True))
    return emails, OFFICERS_LANGUAGE


def _employer_emails(application) -> list[str]:
    return _member_emails(application.employer)


def _member_emails(employer) -> list[str]:
    return [
        member.user.email
        for member in employer.members.select_related("user").order_by("pk")
        if member.user.is_active and member.user.email
    ]


def case_url(application_id: int, audience: Audience) -> str:
    """The absolute address of the case's page for the recipients: e-mail clients need the host,
    which a background worker cannot learn from a request, hence PORTAL_BASE_URL."""
    name = "applications:application-detail" if audience == Audience.EMPLOYER else "applications:review-detail"
    return settings.PORTAL_BASE_URL + reverse(name, kwargs={"pk": application_id})


def send_transition_email(*, change_id: int) -> int:
    """E-mails whom the transition notifies; returns how many recipients (0: nobody to tell)."""
    change = StatusChange.objects.select_related("application__employer", "application__region", "actor").get(pk=change_id)
    transition = TRANSITIONS.get(change.transition)
    if transition is None:
        return 0
    recipients, language = _recipients(change, transition.notify)
    if not recipients:
        return 0
    context = {
        "change": change,
        "application": change.application,
        "transition": transition,
        # Named case_path in the template's translated sentence; it holds the full address.
        "case_path": case_url(change.application_id, transition.notify),
        "requested_documents": [DocumentKind(kind).label for kind in change.requested_documents if kind in DocumentKind.values],
    }
    subject, body = render_email("status_changed", context, language=language)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)


def send_reply_reminder_email(*, request_id: int) -> int:
    """Reminds the company that its reply to a request for information is due; returns how many
    recipients. Nothing is sent if the case stopped waiting for the reply since the job ran."""
    request = StatusChange.objects.select_related("application__employer", "application__region").get(pk=request_id)
    application = request.application
    if application.status != Status.INFO_REQUESTED:
        return 0
    recipients = _employer_emails(application)
    if not recipients:
        return 0
    context = {"application": application, "request": request, "case_path": case_url(application.pk, Audience.EMPLOYER)}
    subject, body = render_email("reply_reminder", context, language=application.employer.language)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)


def send_company_verification_email(*, event_id: int) -> int:
    """Tells the company's members that it is verified, or that verification is refused and why;
    returns how many recipients."""
    event = EmployerEvent.objects.select_related("employer__region").get(pk=event_id)
    recipients = _member_emails(event.employer)
    if not recipients:
        return 0
    context = {
        "event": event, "employer": event.employer,
        "company_path": settings.PORTAL_BASE_URL + reverse("applications:company-detail"),
    }
    subject, body = render_email("company_verification", context, language=event.employer.language)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
