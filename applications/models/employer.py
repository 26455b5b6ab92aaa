from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from applications.validators import validate_inn, validate_ogrn


class Employer(models.Model):
    """A company (or individual entrepreneur) that files applications for its foreign workers."""

    name = models.CharField(_("company name"), max_length=300)
    inn = models.CharField(_("INN"), max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField(_("OGRN / OGRNIP"), max_length=15, unique=True, validators=[validate_ogrn])
    legal_address = models.CharField(_("legal address"), max_length=500)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="employers", verbose_name=_("registered in region")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    main_activity_okved = models.CharField(_("main activity (OKVED)"), max_length=8, blank=True)
    annual_revenue_rub = models.PositiveBigIntegerField(_("yearly revenue, roubles"), default=0)
    average_headcount = models.PositiveIntegerField(_("average headcount"), default=0)
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
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(inn__regex=r"^(\d{10}|\d{12})$"), name="employer_inn_digits"),
            models.CheckConstraint(condition=Q(ogrn__regex=r"^(\d{13}|\d{15})$"), name="employer_ogrn_digits"),
            models.CheckConstraint(condition=~Q(group_head=models.F("pk")), name="employer_not_own_group_head"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (ИНН {self.inn})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


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


class EmployerInvitation(models.Model):
    """A member's invitation of a colleague by e-mail; the link in it works once."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("employer"))
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "employer", Lower("email"), condition=Q(accepted_at__isnull=True), name="invitation_one_open_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.employer.name}"
