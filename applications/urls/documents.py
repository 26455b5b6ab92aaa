"""Documents of a case, the decision letter and the arrival report."""

from django.urls import path

from applications.views import arrivals, documents, letters

urlpatterns = [
    path("employer/applications/<int:pk>/documents/", documents.document_upload_view, name="document-upload"),
    path(
        "employer/applications/<int:pk>/documents/<int:document_pk>/delete/",
        documents.document_delete_view,
        name="document-delete",
    ),
    path("documents/<int:pk>/", documents.document_download, name="document-download"),
    path("applications/<int:pk>/decision-letter.pdf", letters.decision_letter, name="decision-letter"),
    path("applications/<int:pk>/decision-letter/", letters.decision_letter_status, name="decision-letter-status"),
    path("employer/applications/<int:pk>/arrivals/", arrivals.arrival_report, name="arrival-report"),
    path("employer/applications/<int:pk>/arrivals/file/", arrivals.arrival_report_file, name="arrival-report-file"),
]
