"""The company's worker registry."""

from django.urls import path

from applications.views import workers

urlpatterns = [
    path("employer/workers/", workers.worker_list, name="worker-list"),
    path("employer/workers/new/", workers.worker_create, name="worker-create"),
]
