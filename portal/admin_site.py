"""The portal's Django admin site: titles that read as Russian (issue 18, item 10).

Django builds its page titles from a model's verbose name in the nominative: "Выберите %s для
изменения", "Добавить %s" give "Выберите редакция правил". Russian needs the accusative there
("Выберите версию правил"). Every model admin registered here, the libraries' included, gets its
titles from ACCUSATIVE, which says each model's name as the object of a verb; a model missing
from it keeps Django's titles.
"""

from django.contrib import admin
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

# "%s" of "Select %s to change", "Add %s", "Change %s", "View %s", "delete the %s": the model's
# name as the object of the verb. Keyed by model label; the English is the verbose name itself.
ACCUSATIVE = {
    "accounts.user": pgettext_lazy("accusative", "user"),
    "auth.group": pgettext_lazy("accusative", "group"),
    "regions.region": pgettext_lazy("accusative", "region"),
    "regions.ruleset": pgettext_lazy("accusative", "rule version"),
    "regions.eligibilitythreshold": pgettext_lazy("accusative", "employer eligibility threshold"),
    "regions.checkpoint": pgettext_lazy("accusative", "border crossing point"),
    "applications.employer": pgettext_lazy("accusative", "employer"),
    "applications.worker": pgettext_lazy("accusative", "worker"),
    "applications.application": pgettext_lazy("accusative", "application"),
    "applications.statuschange": pgettext_lazy("accusative", "status change"),
    "applications.decision": pgettext_lazy("accusative", "decision"),
    "applications.charter": pgettext_lazy("accusative", "charter"),
    "applications.chartermember": pgettext_lazy("accusative", "charter member"),
    "applications.retentionrun": pgettext_lazy("accusative", "personal data retention run"),
    "applications.apikey": pgettext_lazy("accusative", "API key"),
    "axes.accessattempt": pgettext_lazy("accusative", "access attempt"),
    "axes.accesslog": pgettext_lazy("accusative", "access log"),
    "axes.accessfailurelog": pgettext_lazy("accusative", "access failure"),
    "otp_totp.totpdevice": pgettext_lazy("accusative", "authenticator app"),
    "django_tasks_database.dbtaskresult": pgettext_lazy("accusative", "background task"),
}


def accusative(opts) -> str:
    return str(ACCUSATIVE.get(opts.label_lower, opts.verbose_name))


class AccusativeTitles:
    """Mixed into every model admin of the site: Django's titles with ACCUSATIVE's names."""

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)

        class AccusativeChangeList(base):
            def __init__(self, request, *args, **kwargs):
                super().__init__(request, *args, **kwargs)
                if self.is_popup:
                    title = gettext("Select %s")
                elif self.model_admin.has_change_permission(request):
                    title = gettext("Select %s to change")
                else:
                    title = gettext("Select %s to view")
                self.title = title % accusative(self.opts)

        return AccusativeChangeList

    def changelist_view(self, request, extra_context=None):
        # The "Add …" button over the list (templates/admin/change_list_object_tools.html).
        return super().changelist_view(request, {"accusative_name": accusative(self.opts), **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            title = gettext("Add %s")
        elif self.has_change_permission(request, obj):
            title = gettext("Change %s")
        else:
            title = gettext("View %s")
        context["title"] = title % accusative(self.opts)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, {"object_name": accusative(self.opts), **(extra_context or {})})


class PortalAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Entry portal administration")
    site_title = gettext_lazy("Entry portal administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AccusativeTitles):
            admin_class = type(admin_class.__name__, (AccusativeTitles, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)
