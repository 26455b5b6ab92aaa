"""The officer's case page and its actions."""

from django.urls import path

from applications.views import review_case as review

urlpatterns = [
    path("review/applications/<int:pk>/", review.review_detail, name="review-detail"),
    path("review/applications/<int:pk>/take/", review.review_take, name="review-take"),
    path(
        "review/applications/<int:pk>/request-information/",
        review.review_request_information,
        name="review-request-information",
    ),
    path("review/applications/<int:pk>/approve/", review.review_approve, name="review-approve"),
    path("review/applications/<int:pk>/approve-partially/", review.review_approve_partially, name="review-approve-partially"),
    path("review/applications/<int:pk>/reject/", review.review_reject, name="review-reject"),
    path("review/applications/<int:pk>/verify-company/", review.review_verify_company, name="review-verify-company"),
]
