"""Keys for the API (/api/v1/, docs/api.md): a company's key, made by a member of the company on
its company page, or a border service's key for some regions or the whole country, made by an
admin. Only a digest of the secret is stored: the key is shown once, when it is made."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKeyKind(models.TextChoices):
    EMPLOYER = "employer", _("Company")
    BORDER = "border", _("Border service")


class ApiKey(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ApiKeyKind.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is for, e.g. the HR system."))
    # The public part of the key (sent in every request, shown in lists); the rest is the secret.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_sha256 = models.CharField(_("SHA-256 of the secret"), max_length=64)
    employer = models.ForeignKey(
        "applications.Employer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("employer"),
    )
    # A border key reads the approved lists of these regions, or of every region when nationwide.
    regions = models.ManyToManyField("regions.Region", blank=True, related_name="+", verbose_name=_("regions"))
    nationwide = models.BooleanField(_("nationwide"), default=False)
    # Who made the key; a company key acts as this member (the history names them), and stops
    # working when they leave the company.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="employer", employer__isnull=False, nationwide=False))
                | models.Q(kind="border", employer__isnull=True),
                name="api_key_kind_matches_owner",
            ),
        ]
        indexes = [models.Index(fields=["employer", "-created_at"], name="api_key_employer_recent")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
