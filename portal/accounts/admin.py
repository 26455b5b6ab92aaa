"""Admin for users: Django's UserAdmin adapted to e-mail login (no username), roles and officers' regions."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.email_address import NormalisedEmailField, normalise_email
from portal.accounts.models import Role, User
from portal.security.client_ip import client_ip_address
from portal.security.second_factor import second_factor_reset


def _clean_email(form) -> str:
    """Normalised, and unique whatever the spelling: people sign in by e-mail and type it as they
    like, and look-alike letters (ı, ſ, full-width, the Kelvin sign) must not make a second
    account. The database has the case part of the rule (user_email_unique_case_insensitive);
    this gives the message."""
    email = normalise_email(form.cleaned_data["email"])
    others = User.objects.filter(email=email)
    if form.instance.pk is not None:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise ValidationError(_("A user with this e-mail address already exists."), code="unique")
    return email


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        # Normalised before it is validated, so a full-width spelling is checked as the address it is.
        field_classes = {"email": NormalisedEmailField}

    def clean_email(self):
        return _clean_email(self)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": NormalisedEmailField}

    def clean_email(self):
        return _clean_email(self)

    def clean(self):
        cleaned = super().clean()
        # Only officers work for regions; regions on anyone else would be ignored, so say so.
        role = cleaned.get("role")
        if role and role != Role.OFFICER and cleaned.get("officer_regions"):
            self.add_error(
                "officer_regions", _("Only a regional officer has regions; clear them or make the user an officer.")
            )
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("email", "full_name", "role", "is_active", "is_staff")
    list_filter = ("role", "is_staff", "is_active", "is_superuser")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ("officer_regions", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "position", "preferred_language")}),
        (_("Role"), {"fields": ("role", "officer_regions")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
        (_("Role"), {"fields": ("full_name", "position", "role")}),
    )
    actions = ["reset_second_factor"]

    def has_reset_second_factor_permission(self, request) -> bool:
        return request.user.has_perm("accounts.reset_second_factor")

    @admin.action(description=_("Reset the second factor"), permissions=["reset_second_factor"])
    def reset_second_factor(self, request, queryset):
        """For a lost phone: the person sets up a new app at the next sign-in. Recorded in the
        security log with who reset whom."""
        users = list(queryset)
        for user in users:
            second_factor_reset(user=user, by=request.user, client_ip=client_ip_address(request))
        self.message_user(request, ngettext(
            "The second factor of %(count)d user was reset: at the next sign-in they set up a new authenticator app.",
            "The second factor of %(count)d users was reset: at the next sign-in they set up a new authenticator app.",
            len(users),
        ) % {"count": len(users)}, messages.SUCCESS)
