"""The public checks (no login): a decision letter by its code, a worker's approval."""

from django.urls import path

from applications.views import decision_check, worker_check

urlpatterns = [
    # Before check/<code>/, which would take "approval" for a code.
    path("check/approval/", worker_check.worker_check, name="worker_check"),
    path("check/", decision_check.decision_check, name="decision_check_form"),
    path("check/<str:code>/", decision_check.decision_check, name="decision_check"),
]
