import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.validators import kind_number_errors, validate_inn, validate_ogrn


class EmployerKind(models.TextChoices):
    """A legal entity has a 10-digit INN and a 13-digit OGRN; an individual entrepreneur a 12-digit
    INN and a 15-digit OGRNIP."""

    LEGAL_ENTITY = "legal_entity", _("Legal entity")
    ENTREPRENEUR = "entrepreneur", _("Individual entrepreneur")


class Employer(models.Model):
    """A company (or individual entrepreneur) that files applications for its foreign workers."""

    name = models.CharField(_("company name"), max_length=300)
    inn = models.CharField(_("INN"), max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField(_("OGRN / OGRNIP"), max_length=15, unique=True, validators=[validate_ogrn])
    kind = models.CharField(
        _("kind of company"), max_length=20, choices=EmployerKind.choices, default=EmployerKind.LEGAL_ENTITY,
        help_text=_("A legal entity has a 10-digit INN and a 13-digit OGRN; an entrepreneur a 12-digit INN and a 15-digit OGRNIP."),
    )
    legal_address = models.CharField(_("legal address"), max_length=500)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="employers", verbose_name=_("registered in region")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    main_activity_okved = models.CharField(_("main activity (OKVED)"), max_length=8, blank=True)
    # The latest figures the company stated (empty: never stated). Their history, with the year
    # each is for and its evidence, is EmployerFigures; the rule check reads the history.
    annual_revenue_rub = models.PositiveBigIntegerField(_("yearly revenue, roubles"), null=True, blank=True)
    average_headcount = models.PositiveIntegerField(_("average headcount"), null=True, blank=True)
    group_head = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="group_members",
        verbose_name=_("head company of the group"),
        help_text=_("A group's head company may file for the whole group; its figures then count."),
    )
    language = models.CharField(
        _("language of letters"), max_length=5, choices=[("ru", _("Russian")), ("en", _("English"))], default="ru"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("verified by"),
    )
    # A refusal stands until the company asks again (then it waits again) or an officer verifies
    # it; its reason is the company's to read. The history of all three is EmployerEvent.
    refused_at = models.DateTimeField(_("verification refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing verification"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(inn__regex=r"^(\d{10}|\d{12})$"), name="employer_inn_digits"),
            models.CheckConstraint(condition=Q(ogrn__regex=r"^(\d{13}|\d{15})$"), name="employer_ogrn_digits"),
            models.CheckConstraint(condition=~Q(group_head=models.F("pk")), name="employer_not_own_group_head"),
            models.CheckConstraint(
                condition=Q(kind=EmployerKind.LEGAL_ENTITY, inn__regex=r"^\d{10}$", ogrn__regex=r"^\d{13}$")
                | Q(kind=EmployerKind.ENTREPRENEUR, inn__regex=r"^\d{12}$", ogrn__regex=r"^\d{15}$"),
                name="employer_numbers_match_kind",
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(refused_at__isnull=True), name="employer_verified_or_refused"
            ),
            models.CheckConstraint(
                condition=Q(refused_at__isnull=True) | ~Q(refusal_reason=""), name="employer_refusal_has_reason"
            ),
        ]
        # The officers' queue of companies waiting for verification, per region, oldest first.
        indexes = [
            models.Index(
                fields=["region", "created_at"], condition=Q(verified_at__isnull=True, refused_at__isnull=True),
                name="employer_waiting_verification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (ИНН {self.inn})"

    def clean(self):
        # The constraint employer_numbers_match_kind, said next to the field that disagrees.
        errors = kind_number_errors(self.kind, self.inn, self.ogrn)
        if errors:
            raise ValidationError(errors)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def verification_state(self) -> "VerificationState":
        if self.verified_at is not None:
            return VerificationState.VERIFIED
        if self.refused_at is not None:
            return VerificationState.REFUSED
        return VerificationState.WAITING


class VerificationState(models.TextChoices):
    WAITING = "waiting", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Verification refused")


class EmployerEventAction(models.TextChoices):
    VERIFY = "verify", _("Company verified")
    REFUSE = "refuse", _("Verification refused")
    ASK_AGAIN = "ask_again", _("Verification asked for again")
    DETAILS = "details", _("Company details changed")


class EmployerEvent(models.Model):
    """One entry of a company's history: its verification, a refusal and its reason, a new request
    after a refusal, a change of its details (with the old and new values). Written only by the
    services (applications/services/company_verification.py, company_details.py); the database
    refuses to update or delete a row (trigger in migration 0031), as for the case history."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="events", verbose_name=_("employer"))
    action = models.CharField(_("action"), max_length=20, choices=EmployerEventAction.choices)
    from_state = models.CharField(_("from"), max_length=10, choices=VerificationState.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=VerificationState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    # A change of details: {field name: [old value, new value]}.
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("company history entry")
        verbose_name_plural = _("company history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["employer", "at"], name="employer_event_timeline")]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=EmployerEventAction.values), name="employer_event_action_known"),
            models.CheckConstraint(
                condition=~Q(action=EmployerEventAction.REFUSE) | ~Q(reason=""), name="employer_event_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.action} {self.from_state} → {self.to_state}"


class EmployerMember(models.Model):
    """A user who works for an employer on the portal; a user belongs to one employer at most."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members", verbose_name=_("employer"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_membership", verbose_name=_("user")
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer member")
        verbose_name_plural = _("employer members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer.name}"


# An invitation link is a credential sent to an address the company chose: it works for a week,
# long enough for a colleague back from a holiday, short enough that a forgotten link in someone's
# mailbox does not stay a way into the company.
INVITATION_VALID_FOR = timedelta(days=7)


def invitation_expiry():
    return timezone.now() + INVITATION_VALID_FOR


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Link expired")
    REVOKED = "revoked", _("Revoked")


class EmployerInvitation(models.Model):
    """A member's invitation of a colleague by e-mail; the link in it works once, until it expires
    or the company revokes it."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("employer"))
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # When the invitation was closed without being accepted: revoked by a member (before it
    # expired), or, after it expired, set aside by a new invitation to the same address. Closed
    # invitations leave the one-open-per-address constraint; the state says which of the two it was.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "employer", Lower("email"), condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True), name="invitation_accepted_or_revoked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.employer.name}"

    @property
    def state(self) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None and self.revoked_at < self.expires_at:
            return InvitationState.REVOKED
        if self.revoked_at is not None or self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def is_pending(self) -> bool:
        return self.state == InvitationState.PENDING

    @property
    def closed_reason(self) -> str:
        """Why the link no longer works, for the person who opens it; empty while it is pending."""
        state = self.state
        if state == InvitationState.EXPIRED:
            return gettext(
                "This invitation has expired: an invitation link works for %(days)d days. Ask your colleague to invite you again."
            ) % {"days": INVITATION_VALID_FOR.days}
        if state == InvitationState.REVOKED:
            return gettext("This invitation has been revoked by the company. If you still mean to join, ask your colleague.")
        if state == InvitationState.ACCEPTED:
            return gettext("This invitation has been accepted already. If it was you, sign in.")
        return ""


def figures_evidence_path(figures: "EmployerFigures", filename: str) -> str:
    # A random stored name, as for case documents: the uploader's name is only data.
    return f"company-figures/{figures.employer_id}/{uuid.uuid4().hex}"


class EmployerFigures(models.Model):
    """One statement of a company's revenue and average headcount for a year, kept for good: a
    change is a new row (the database refuses updates and deletes), so a case is always judged
    on the figures that stood when it was submitted."""

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="figures_history", verbose_name=_("employer")
    )
    year = models.PositiveSmallIntegerField(_("year the figures are for"))
    annual_revenue_rub = models.PositiveBigIntegerField(_("yearly revenue, roubles"))
    average_headcount = models.PositiveIntegerField(_("average headcount"))
    evidence = models.FileField(_("evidence"), upload_to=figures_evidence_path, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_content_type = models.CharField(_("type"), max_length=50, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("company figures")
        verbose_name_plural = _("company figures")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="employer_figures_year_sane"),
        ]
        indexes = [models.Index(fields=["employer", "-recorded_at"], name="employer_figures_latest")]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.year}, {self.annual_revenue_rub} ₽, {self.average_headcount}"

    def clean(self):
        """Figures are for a year that has begun when they are stated: the sign-up and the company
        page say so next to the field, and both services (company_register, employer_figures_record)
        meet it here. The database cannot hold it (it moves with the clock)."""
        super().clean()
        this_year = timezone.localdate(self.recorded_at or timezone.now()).year
        if self.year is not None and self.year > this_year:
            message = _("The figures must be for a year that has begun: %(year)d at the latest.")
            raise ValidationError({"year": ValidationError(message, code="future_year", params={"year": this_year})})
