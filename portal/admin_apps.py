"""The app configurations that make the Django admin read as Russian (issue 18, item 10).

The admin names each app by its AppConfig.verbose_name, on the index, the app's page and every
breadcrumb. Three third-party apps name themselves in English or by their label ("Axes",
"Otp_Totp", "Tasks Database Backend"), and two of their models have untranslatable names: the
subclasses here give them translatable ones and INSTALLED_APPS lists them instead of the
originals. The label (and so the tables and migrations) is the original's.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpAppConfig
from django_tasks_db.apps import TasksAppConfig


class PortalAdminConfig(AdminConfig):
    """The admin, with the portal's site (portal/admin_site.py) as `admin.site`."""

    default_site = "portal.admin_site.PortalAdminSite"


class _RenamedModels:
    """Gives models of a third-party app the names in `model_names` (model name -> (singular,
    plural)). Only the names the admin shows change: the options that migrations compare
    (Meta.original_attrs) are left alone, so no migration of the library is called for."""

    model_names: dict = {}

    def ready(self):
        super().ready()
        for model_name, (singular, plural) in self.model_names.items():
            opts = self.get_model(model_name)._meta
            opts.verbose_name, opts.verbose_name_plural = singular, plural


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockouts")


class OtpTotpConfig(_RenamedModels, OtpTotpAppConfig):
    verbose_name = _("Second factor")
    model_names = {"TOTPDevice": (_("authenticator app"), _("authenticator apps"))}


class TasksDatabaseConfig(_RenamedModels, TasksAppConfig):
    verbose_name = _("Background tasks")
    model_names = {"DBTaskResult": (_("background task"), _("background tasks"))}
