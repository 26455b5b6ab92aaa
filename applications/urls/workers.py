"""The company's worker registry."""

from django.urls import path

from applications.views import workers

urlpatterns = [
    path("employer/workers/", workers.worker_list, name="worker-list"),
    path("employer/workers/new/", workers.worker_create, name="worker-create"),
    path("employer/workers/<int:pk>/edit/", workers.worker_edit, name="worker-edit"),
    path("employer/workers/import/", workers.worker_import, name="worker-import"),
    path("employer/workers/import/template.csv", workers.worker_import_template, name="worker-import-template"),
]
