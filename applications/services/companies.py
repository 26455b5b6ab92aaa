"""Companies: sign-up with e-mail confirmation, colleagues' invitations, and (in services/company_verification.py) verification by an
admin or an officer of the company's region.

E-mails go out after the transaction commits and carry absolute links; the services take the
portal's address (`site_url`, e.g. "https://portal.example") from the caller, which knows it
from the request. A failure to send is logged and never undoes the change it reports: the
person can ask for a new confirmation link, a colleague can be invited again.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications import background
from applications.background import Work
from applications.models import (
    Employer,
    EmployerFigures,
    EmployerInvitation,
    EmployerKind,
    EmployerMember,
    InvitationState,
)
from applications.models.employer import INVITATION_VALID_FOR
from applications.permissions import employer_id_of
from applications.services.documents import _check_size as check_upload_size
from applications.services.documents import display_name, document_content_type
from applications.services.errors import TransitionRefused
from portal.accounts.email_address import normalise_email
from portal.accounts.models import Role, User
from portal.accounts.tokens import email_confirmation_token
from portal.email_text import render_email
from regions.models import Region

# Sign-up never shows whether an address or a company is known (see company_register); the
# e-mails to the people concerned say it instead.
EMAIL_TAKEN = _("An account with this e-mail already exists. Sign in, or ask for a new confirmation link.")
INVITEE_HAS_ACCOUNT = _("This person already has an account on the portal; ask an admin to move them to your company.")
INVITATION_ALREADY_OPEN = _("This person has already been invited and has not answered yet.")

_USER_EMAIL_CONSTRAINTS = frozenset({"accounts_user_email_key", "user_email_unique_case_insensitive"})
_EMPLOYER_NUMBER_CONSTRAINTS = frozenset({"applications_employer_inn_key", "applications_employer_ogrn_key"})

# A sign-up that meets a known address or company e-mails someone; repeating the sign-up must
# not fill that mailbox. One such letter per address per hour (SIGN_UP_NOTICE_INTERVAL).
SIGN_UP_NOTICE_INTERVAL = 60 * 60

# Which field a unique constraint protects, so a lost race shows its message next to that field.
_CONFLICT_FIELDS = {
    **{name: ("email", EMAIL_TAKEN) for name in _USER_EMAIL_CONSTRAINTS},
    "invitation_one_open_per_email": ("email", INVITATION_ALREADY_OPEN),
}


def _violated_constraint(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def _conflict(error: IntegrityError) -> ValidationError | None:
    field_and_message = _CONFLICT_FIELDS.get(_violated_constraint(error))
    if field_and_message is None:
        return None
    field, message = field_and_message
    return ValidationError({field: ValidationError(message, code="unique")})


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def _send(*, template: str, recipient: str, language: str, context: dict) -> int:
    """Raises when the mail server fails: the task that calls it tries again later (tasks.py)."""
    subject, body = render_email(template, context, language=language)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


def _letter_language(user: User) -> str:
    membership = getattr(user, "employer_membership", None)
    return membership.employer.language if membership else user.preferred_language


# Sign-up and e-mail confirmation


def send_confirmation_email(*, user_id: int, site_url: str) -> int:
    """The sign-up confirmation link; sent by a background task (tasks.send_confirmation)."""
    user = User.objects.select_related("employer_membership__employer").get(pk=user_id)
    path = reverse(
        "accounts:confirm-email",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": email_confirmation_token.make_token(user)},
    )
    membership = getattr(user, "employer_membership", None)
    return _send(
        template="confirm_email",
        recipient=user.email,
        language=_letter_language(user),
        context={
            "user": user,
            "employer": membership.employer if membership else None,
            "link": _absolute(site_url, path),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )


def company_register(
    *,
    email: str,
    password: str,
    full_name: str,
    name: str,
    inn: str,
    ogrn: str,
    legal_address: str,
    region: Region,
    phone: str = "",
    annual_revenue_rub: int,
    average_headcount: int,
    figures_year: int,
    kind: str = EmployerKind.LEGAL_ENTITY,
    language: str = "ru",
    site_url: str,
) -> User:
    """A new company with its first member, who signs in once the e-mailed link confirms the
    address. The company stays unverified (it can draft, not submit) until an officer of its
    region or an admin verifies it. Its revenue and headcount, for `figures_year`, are the
    first row of its figures history.

    The caller answers the same whether or not the address or the company is already on the
    portal, so the page cannot be used to probe for either; the rest is said by e-mail. An
    address that has an account (in any spelling, see normalise_email) creates nothing and its
    owner is told someone tried; a known INN or OGRN creates nothing and the address typed is
    told to ask the company for an invitation. Both return None, as does a sign-up that loses
    the race to someone registering the same address or company a moment earlier.

    Raises ValidationError keyed by field (email, inn, ...) when a value is invalid.
    """
    email = normalise_email(email)
    user = User(email=email, full_name=full_name.strip(), role=Role.EMPLOYER, is_active=False, preferred_language=language)
    employer = Employer(
        name=name.strip(),
        inn=inn,
        ogrn=ogrn,
        kind=kind,
        legal_address=legal_address.strip(),
        region=region,
        phone=phone.strip(),
        annual_revenue_rub=annual_revenue_rub,
        average_headcount=average_headcount,
        language=language,
    )
    figures = EmployerFigures(year=figures_year, annual_revenue_rub=annual_revenue_rub, average_headcount=average_headcount)
    # Uniqueness is left to the database below, so that a lost race and a plain duplicate give
    # the same message; the rest (check digits, lengths) is checked here for every caller.
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    employer.full_clean(validate_unique=False, validate_constraints=False)
    figures.full_clean(exclude=["employer", "recorded_by"], validate_constraints=False)
    # Hashed before anything is looked up, so a known address takes as long as a new one.
    user.set_password(password)

    if _sign_up_collides(email=email, inn=inn, ogrn=ogrn, language=language, site_url=site_url):
        return None
    # The savepoint lets a unique violation from a sign-up a moment earlier be answered like the
    # checks above, even when the caller already holds a transaction.
    try:
        with transaction.atomic():
            user.save()
            employer.save()
            figures.employer, figures.recorded_by = employer, user
            figures.save()
            EmployerMember.objects.create(employer=employer, user=user)
            background.after_commit(Work.CONFIRMATION, user_id=user.pk, site_url=site_url)
    except IntegrityError as error:
        if _violated_constraint(error) not in _USER_EMAIL_CONSTRAINTS | _EMPLOYER_NUMBER_CONSTRAINTS:
            raise
        # The row that won is committed by now, so the checks find it and queue the e-mail.
        _sign_up_collides(email=email, inn=inn, ogrn=ogrn, language=language, site_url=site_url)
        return None
    return user


def _sign_up_collides(*, email: str, inn: str, ogrn: str, language: str, site_url: str) -> bool:
    """Whether the address (normalised) or the company is already on the portal; if so, the
    e-mail that says so is queued, at most once an hour per address."""
    owner = User.objects.filter(email=email).only("pk").first()
    if owner is not None:
        if cache.add(f"sign-up-notice:account:{owner.pk}", 1, SIGN_UP_NOTICE_INTERVAL):
            background.after_commit(Work.SIGN_UP_ATTEMPT_NOTICE, user_id=owner.pk, site_url=site_url)
        return True
    if Employer.objects.filter(Q(inn=inn) | Q(ogrn=ogrn)).exists():
        if cache.add(f"sign-up-notice:company-known:{email}", 1, SIGN_UP_NOTICE_INTERVAL):
            background.after_commit(Work.COMPANY_KNOWN_NOTICE, email=email, language=language, site_url=site_url)
        return True
    return False


def send_sign_up_attempt_email(*, user_id: int, site_url: str) -> int:
    """To the owner of an address someone tried to sign up with; sent by a background task
    (tasks.send_sign_up_attempt_notice). Nothing the stranger typed goes into it."""
    user = User.objects.select_related("employer_membership__employer").get(pk=user_id)
    return _send(
        template="sign_up_attempt",
        recipient=user.email,
        language=_letter_language(user),
        context={
            "user": user,
            "login_link": _absolute(site_url, reverse("accounts:login")),
            "reset_link": _absolute(site_url, reverse("accounts:password-reset")),
        },
    )


def send_company_known_email(*, email: str, language: str, site_url: str) -> int:
    """To an address that tried to sign up a company already on the portal: ask a colleague there
    for an invitation. Sent by a background task (tasks.send_company_known_notice); it names no
    company and quotes nothing that was typed, so it cannot carry a stranger's words."""
    return _send(
        template="company_known",
        recipient=email,
        language=language if language in ("ru", "en") else "ru",
        context={"login_link": _absolute(site_url, reverse("accounts:login"))},
    )


def _invalid_confirmation_link() -> TransitionRefused:
    return TransitionRefused(
        gettext("This confirmation link is not valid: it has been used already, has expired or was copied incompletely.")
    )


def _account_of_confirmation_link(*, uidb64: str, token: str, lock: bool) -> User:
    """The account waiting for confirmation that the link was made for, or TransitionRefused.

    Only an account that never signed in is waiting for confirmation: an account an admin
    switched off later must not be switched back on by an old link.
    """
    try:
        user_pk = urlsafe_base64_decode(uidb64).decode()
    except (ValueError, UnicodeDecodeError):
        raise _invalid_confirmation_link() from None
    if not user_pk.isdigit() or len(user_pk) > 18:
        raise _invalid_confirmation_link()
    users = User.objects.select_for_update() if lock else User.objects.all()
    user = users.filter(pk=int(user_pk), is_active=False, last_login__isnull=True).first()
    if user is None or not email_confirmation_token.check_token(user, token):
        raise _invalid_confirmation_link()
    return user


def confirmation_link_account(*, uidb64: str, token: str) -> User:
    """For the page the link opens: whose account the button will confirm. Changes nothing, so
    a link opened by a mail scanner or sent by someone else signs nobody in."""
    return _account_of_confirmation_link(uidb64=uidb64, token=token, lock=False)


@transaction.atomic
def account_confirm_email(*, uidb64: str, token: str) -> User:
    """Activates the account the link was made for (the button on the link's page); the link
    works once."""
    # Locked, so two presses at once activate the account once.
    user = _account_of_confirmation_link(uidb64=uidb64, token=token, lock=True)
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def confirmation_email_resend(*, email: str, site_url: str) -> None:
    """Sends a new link if an employer account with this e-mail waits for confirmation, and does
    nothing otherwise; the caller answers the same either way, so accounts cannot be probed."""
    user = (
        User.objects.filter(
            email=normalise_email(email),
            is_active=False,
            last_login__isnull=True,
            role=Role.EMPLOYER,
            employer_membership__isnull=False,
        )
        .only("pk")
        .first()
    )
    if user is not None:
        background.now(Work.CONFIRMATION, user_id=user.pk, site_url=site_url)


# Password reset


def send_password_reset_email(*, user_id: int, site_url: str) -> int:
    """The link to set a new password; sent by a background task (tasks.send_password_reset).
    Django's token: signed, expiring (PASSWORD_RESET_TIMEOUT), spent once the password changes."""
    user = User.objects.select_related("employer_membership__employer").get(pk=user_id)
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return _send(
        template="password_reset",
        recipient=user.email,
        language=_letter_language(user),
        context={"user": user, "link": _absolute(site_url, path), "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)},
    )


def password_reset_request(*, email: str, site_url: str) -> None:
    """Queues the e-mail that answers "I forgot my password" for the account of this address (in
    any spelling): a reset link to an active account, a new confirmation link to one still
    waiting for it, nothing otherwise. The caller answers the same in every case, and the
    e-mail leaves from the background task, so neither the page nor its timing tells whether
    the address has an account."""
    user = User.objects.filter(email=normalise_email(email)).first()
    if user is None:
        return
    if user.is_active and user.has_usable_password():
        background.now(Work.PASSWORD_RESET, user_id=user.pk, site_url=site_url)
    elif not user.is_active and user.last_login is None:
        confirmation_email_resend(email=user.email, site_url=site_url)


# Colleagues


def send_invitation_email(*, invitation_id: int, site_url: str) -> int:
    """The invitation link; sent by a background task (tasks.send_invitation). An invitation
    revoked or expired before the worker got to it is not sent."""
    invitation = EmployerInvitation.objects.select_related("employer", "invited_by").get(pk=invitation_id)
    if not invitation.is_pending:
        return 0
    path = reverse("accounts:accept-invitation", kwargs={"token": invitation.token})
    return _send(
        template="invitation",
        recipient=invitation.email,
        language=invitation.employer.language,
        context={
            "invitation": invitation,
            "employer": invitation.employer,
            "invited_by": invitation.invited_by,
            "link": _absolute(site_url, path),
            "valid_days": INVITATION_VALID_FOR.days,
        },
    )


# An invitation is an e-mail the portal sends, in its own name, to any address a company types in.
# These bound what one company (or one of its people) can make the portal send: plenty for a
# company taking on its staff, too few to be worth using the portal as a spam or phishing relay.
INVITATIONS_PER_SENDER_PER_HOUR = 20
INVITATIONS_PER_COMPANY_PER_HOUR = 50


def _invitations_sent_last_hour(*, employer: Employer, user) -> tuple[int, int]:
    """How many invitations the sender and the company sent in the last hour, revoked ones too
    (revoking and sending again must not reset the count)."""
    counts = EmployerInvitation.objects.filter(
        Q(employer=employer) | Q(invited_by=user), created_at__gt=timezone.now() - timedelta(hours=1)
    ).aggregate(sender=Count("pk", filter=Q(invited_by=user)), company=Count("pk", filter=Q(employer=employer)))
    return counts["sender"], counts["company"]


def invitation_send(*, employer: Employer, user, email: str, site_url: str) -> EmployerInvitation:
    """A member of a verified company invites a colleague by e-mail; the link lets the colleague
    set a password and join, for INVITATION_VALID_FOR.

    Raises TransitionRefused when the user is not a member or the company is not verified yet,
    and ValidationError on `email` when the person already has an account (moving people between
    companies is an admin's decision), already has a pending invitation, or the sender or the
    company has sent as many invitations in the last hour as it may.
    """
    if employer_id_of(user) != employer.pk:
        raise TransitionRefused(gettext("Only a member of the company can invite colleagues to it."))
    email = normalise_email(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": ValidationError(INVITEE_HAS_ACCOUNT, code="has_account")})
    # The savepoint turns two invitations posted at once into the message above, not a 500.
    try:
        with transaction.atomic():
            # The company's row is locked, so the checks below and the new row are one step: two
            # requests at once cannot both pass the hourly limit.
            locked = Employer.objects.select_for_update().get(pk=employer.pk)
            if not locked.is_verified:
                raise TransitionRefused(
                    gettext("Your company can invite colleagues once the officers of its region have verified it.")
                )
            by_sender, by_company = _invitations_sent_last_hour(employer=locked, user=user)
            if by_sender >= INVITATIONS_PER_SENDER_PER_HOUR:
                raise ValidationError(
                    {
                        "email": ValidationError(
                            gettext(
                                "You have sent %(limit)d invitations in the last hour, as many as one person may. "
                                "Please try again later."
                            )
                            % {"limit": INVITATIONS_PER_SENDER_PER_HOUR},
                            code="rate_limit",
                        )
                    }
                )
            if by_company >= INVITATIONS_PER_COMPANY_PER_HOUR:
                raise ValidationError(
                    {
                        "email": ValidationError(
                            gettext(
                                "Your company has sent %(limit)d invitations in the last hour, as many as a company may. "
                                "Please try again later."
                            )
                            % {"limit": INVITATIONS_PER_COMPANY_PER_HOUR},
                            code="rate_limit",
                        )
                    }
                )
            earlier = EmployerInvitation.objects.filter(
                employer=locked, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
            ).first()
            if earlier is not None and earlier.is_pending:
                raise ValidationError({"email": ValidationError(INVITATION_ALREADY_OPEN, code="unique")})
            if earlier is not None:  # expired: set aside, it stays listed as expired
                earlier.revoked_at = timezone.now()
                earlier.save(update_fields=["revoked_at"])
            invitation = EmployerInvitation.objects.create(
                employer=locked, email=email, token=secrets.token_urlsafe(32), invited_by=user
            )
            background.after_commit(Work.INVITATION, invitation_id=invitation.pk, site_url=site_url)
    except IntegrityError as error:
        conflict = _conflict(error)
        if conflict is None:
            raise
        raise conflict from None
    return invitation


def invitation_revoke(*, invitation: EmployerInvitation, user) -> EmployerInvitation:
    """A member withdraws a pending invitation: its link stops working at once. Revoking one
    already revoked changes nothing (a second click); an accepted or expired one is refused."""
    if employer_id_of(user) != invitation.employer_id:
        raise TransitionRefused(gettext("Only a member of the company can revoke its invitations."))
    with transaction.atomic():
        # Locked, so a revocation and an acceptance at the same moment happen one after the other.
        locked = EmployerInvitation.objects.select_for_update().get(pk=invitation.pk)
        state = locked.state
        if state == InvitationState.ACCEPTED:
            raise TransitionRefused(gettext("This invitation has been accepted already: there is nothing to revoke."))
        if state == InvitationState.EXPIRED:
            raise TransitionRefused(gettext("This invitation has expired already: its link no longer works."))
        if state == InvitationState.PENDING:
            locked.revoked_at, locked.revoked_by = timezone.now(), user
            locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def _invitation_unusable() -> TransitionRefused:
    return TransitionRefused(
        gettext(
            "This invitation link is not valid: it has been used already or was copied incompletely. "
            "Ask your colleague to invite you again."
        )
    )


def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Creates the invited colleague's account, active at once (the link proves the e-mail), as
    a member of the inviting company. The invitation row is locked, so the link works once, and
    only while it has neither expired nor been revoked."""
    try:
        with transaction.atomic():
            invitation = (
                EmployerInvitation.objects.select_for_update(of=("self",))
                .select_related("employer")
                .filter(token=token, accepted_at__isnull=True)
                .first()
            )
            if not token or invitation is None:
                raise _invitation_unusable()
            if not invitation.is_pending:
                raise TransitionRefused(invitation.closed_reason)
            if User.objects.filter(email=normalise_email(invitation.email)).exists():
                raise TransitionRefused(gettext("An account with this e-mail already exists: sign in with it instead."))
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name.strip(),
                role=Role.EMPLOYER,
                is_active=True,
                preferred_language=invitation.employer.language,
            )
            EmployerMember.objects.create(employer=invitation.employer, user=user)
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
    except IntegrityError as error:
        if _violated_constraint(error) not in _USER_EMAIL_CONSTRAINTS:
            raise
        raise TransitionRefused(gettext("An account with this e-mail already exists: sign in with it instead.")) from None
    return user


# Figures for eligibility


def employer_figures_record(
    *, employer: Employer, user, year: int, annual_revenue_rub: int, average_headcount: int, evidence: UploadedFile
) -> EmployerFigures:
    """A member states the company's revenue and headcount for a year, with the evidence (PDF,
    JPEG or PNG, checked by content as a case document is). The statement is a new row of the
    history, never a change of an old one: cases already submitted keep being judged on the
    figures that stood then. The company's current figures follow the newest statement."""
    if employer_id_of(user) != employer.pk:
        raise TransitionRefused(gettext("Only a member of the company can state its figures."))
    check_upload_size(evidence)
    content_type = document_content_type(evidence)
    figures = EmployerFigures(
        employer=employer,
        year=year,
        annual_revenue_rub=annual_revenue_rub,
        average_headcount=average_headcount,
        evidence_name=display_name(evidence.name or "", content_type=content_type),
        evidence_content_type=content_type,
        recorded_by=user,
    )
    figures.full_clean(exclude=["evidence"])
    with transaction.atomic():
        # Locked, so two statements at once are recorded one after the other and the company's
        # current figures are the later one's.
        locked = Employer.objects.select_for_update().get(pk=employer.pk)
        figures.employer = locked
        figures.evidence.save("evidence", evidence, save=False)
        try:
            figures.save()
        except BaseException:
            figures.evidence.storage.delete(figures.evidence.name)
            raise
        locked.annual_revenue_rub, locked.average_headcount = annual_revenue_rub, average_headcount
        locked.save(update_fields=["annual_revenue_rub", "average_headcount"])
    return figures
