"""The company's worker registry."""

from django.urls import path

from applications.views import workers

urlpatterns = [
    path("employer/workers/", workers.worker_list, name="worker-list"),
    path("employer/workers/new/", workers.worker_create, name="worker-create"),
    path("employer/workers/<int:pk>/edit/", workers.worker_edit, name="worker-edit"),
    path("employer/workers/<int:pk>/delete/", workers.worker_delete, name="worker-delete"),
    path("employer/workers/import/", workers.worker_import, name="worker-import"),
    path("employer/workers/imports/<int:pk>/", workers.worker_import_status, name="worker-import-status"),
    path("employer/workers/import/template.csv", workers.worker_import_template, name="worker-import-template"),
    path("employer/workers/<int:pk>/permits/new/", workers.worker_permit_create, name="worker-permit-create"),
    path("employer/workers/permits/<int:pk>/scan/", workers.worker_permit_scan_upload, name="worker-permit-scan-upload"),
    path("employer/workers/permits/<int:pk>/delete/", workers.worker_permit_delete, name="worker-permit-delete"),
    path("earlier-permits/<int:pk>/scan/", workers.earlier_permit_scan, name="earlier-permit-scan"),
]
