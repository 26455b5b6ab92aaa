"""All URLs of the `applications` namespace, one module per area of the portal."""

from applications.urls import (
    charters,
    company,
    company_review,
    decision_check,
    documents,
    draft_split,
    employer,
    exports,
    notices,
    review_case,
    review_queue,
    workers,
)

app_name = "applications"

urlpatterns = [
    *employer.urlpatterns,
    *workers.urlpatterns,
    *company.urlpatterns,
    *review_queue.urlpatterns,
    *review_case.urlpatterns,
    *company_review.urlpatterns,
    *exports.urlpatterns,
    *documents.urlpatterns,
    *notices.urlpatterns,
    *decision_check.urlpatterns,
    *draft_split.urlpatterns,
    *charters.urlpatterns,
]
