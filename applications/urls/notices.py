"""Notices to approved workers, and the border list bundle that carries them."""

from django.urls import path

from applications.views import exports, notices

urlpatterns = [
    path("applications/<int:pk>/notices.pdf", notices.case_notices, name="case-notices"),
    path("applications/<int:pk>/notices/status/", notices.case_notices_status, name="case-notices-status"),
    path("applications/<int:pk>/notices/<int:line_pk>.pdf", notices.worker_notice, name="worker-notice"),
    path("review/export/border-list.zip", exports.border_list_bundle_view, name="review-export-border-bundle"),
    path("review/charters/<int:pk>/border-list.zip", exports.charter_border_list_bundle, name="review-charter-border-bundle"),
]
