"""Splitting a draft over its region's cap of workers per application."""

from django.urls import path

from applications.views import draft_split

urlpatterns = [
    path("employer/applications/<int:pk>/split/", draft_split.draft_split, name="draft-split"),
]
