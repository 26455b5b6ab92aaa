"""The officer's queue of companies waiting for verification and a company's card."""

from django.urls import path

from applications.views import company_review

urlpatterns = [
    path("review/companies/", company_review.company_queue, name="review-companies"),
    path("review/companies/<int:pk>/", company_review.company_card, name="review-company"),
    path("review/companies/<int:pk>/verify/", company_review.company_verify, name="review-company-verify"),
    path("review/companies/<int:pk>/refuse/", company_review.company_refuse, name="review-company-refuse"),
]
