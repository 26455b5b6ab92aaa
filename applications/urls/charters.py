"""Charters: the employer's pages and the officer's (issue 17)."""

from django.urls import path

from applications.views import charters

urlpatterns = [
    path("employer/charters/", charters.charter_list, name="charter-list"),
    path("employer/charters/new/", charters.charter_create, name="charter-create"),
    path("employer/charters/<int:pk>/", charters.charter_detail, name="charter-detail"),
    path("employer/charters/<int:pk>/invite/", charters.charter_invite, name="charter-invite"),
    path("employer/charters/<int:pk>/answer/", charters.charter_answer, name="charter-answer"),
    path("employer/charters/<int:pk>/leave/", charters.charter_leave, name="charter-leave"),
    path("employer/charters/<int:pk>/attach/", charters.charter_attach, name="charter-attach"),
    path("employer/charters/<int:pk>/detach/", charters.charter_detach, name="charter-detach"),
    path("review/charters/", charters.review_charter_list, name="review-charter-list"),
    path("review/charters/<int:pk>/", charters.review_charter_detail, name="review-charter-detail"),
    path("review/charters/<int:pk>/decide/", charters.review_charter_decide, name="review-charter-decide"),
]
