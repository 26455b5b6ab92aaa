"""The public check of a decision letter (no login)."""

from django.urls import path

from applications.views import decision_check

urlpatterns = [
    path("check/", decision_check.decision_check, name="decision_check_form"),
    path("check/<str:code>/", decision_check.decision_check, name="decision_check"),
]
