"""API keys in Django admin: an admin makes a border service's key here (shown once, in the
message after saving) and revokes any key. Company keys are made on the company's own page."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.models import ApiKey
from applications.services import TransitionRefused
from applications.services.api_keys import api_key_revoke, border_key_create


class BorderKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "nationwide", "regions", "expires_at"]
        help_texts = {"regions": _("The regions whose crossings the key reads; none when nationwide.")}


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "kind", "employer", "nationwide", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["name", "prefix"]
    ordering = ["-created_at", "-pk"]
    actions = ["revoke"]
    readonly_fields = [
        "kind",
        "name",
        "prefix",
        "employer",
        "nationwide",
        "regions",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["secret_sha256"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = BorderKeyForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return BorderKeyForm.Meta.fields if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoked, not deleted: the list keeps what each key was and when it was last used.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            new = border_key_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
                regions=form.cleaned_data["regions"],
                nationwide=form.cleaned_data["nationwide"],
            )
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return
        # Django's add view goes on with `obj`: make it the key the service made.
        obj.pk = new.key.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            gettext("The border service's key, shown only now (copy it; the portal keeps only its digest): %(key)s")
            % {"key": new.plaintext},
        )

    def save_related(self, request, form, formsets, change):
        # The service has set the regions already.
        pass

    def log_addition(self, request, obj, message):
        if obj.pk is not None:
            super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return self.response_post_save_add(request, obj)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Revoke the chosen keys"))
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(key=key, user=request.user)
            revoked += 1
        self.message_user(
            request, ngettext("%(count)d key is revoked.", "%(count)d keys are revoked.", revoked) % {"count": revoked}
        )
