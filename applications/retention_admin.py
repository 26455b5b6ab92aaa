"""Django admin's page of the personal data retention job (docs/operations.md, "Personal data
retention"): the runs so far, and above them what the next runs will remove, in counts and days
only. Staff with the view permission on runs see it; nobody adds, changes or deletes a run."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from applications.admin_read_only import ReadOnlyAdminMixin
from applications.models import RetentionRun
from applications.selectors.retention import retention_outlook


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "started_at",
        "documents_deleted",
        "workers_redacted",
        "decision_workers_redacted",
        "earlier_permits_deleted",
        "letters_removed",
        "decisions_not_verified",
    )
    show_full_result_count = False
    change_list_template = "admin/applications/retentionrun/change_list.html"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            extra_context={**(extra_context or {}), "outlook": retention_outlook(), "title": _("Personal data retention")},
        )
