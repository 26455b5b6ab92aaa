"""People who sign in: employer staff, regional officers and admins, all logging in by e-mail."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.email_address import normalise_email


class Role(models.TextChoices):
    EMPLOYER = "employer", _("Employer staff")
    OFFICER = "officer", _("Regional officer")
    ADMIN = "admin", _("Administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Addresses are stored normalised (portal.accounts.email_address), so every spelling of
        # one address finds the one account, and an exact match can use the unique index.
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # Printed with the name on the decisions an officer signs (kept with each decision as it stood).
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("For officers: as printed on decision letters, e.g. Chief specialist.")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EMPLOYER)
    officer_regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="officers", verbose_name=_("regions (for officers)"),
    )
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=[("ru", _("Russian")), ("en", _("English"))], default="ru"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN and self.is_staff


class RecoveryCode(models.Model):
    """One of the single-use codes an officer or admin keeps on paper for the day the phone with
    the authenticator app is lost. Only a keyed hash is stored (portal/security/second_factor.py):
    a copy of the database does not give anyone a way past the second factor."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user"))
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique_per_user"),
        ]
        # Resetting someone's second factor lets the next person who knows the password set up a
        # new app: a right of its own, not part of changing users.
        permissions = [("reset_second_factor", _("Can reset a user's second factor"))]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
