"""/api/v1/: the endpoints, the OpenAPI schema and its interactive docs (docs/api.md)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from applications.api import arrivals, border, cases, documents, workers
from applications.api.errors import not_found

app_name = "api"

urlpatterns = [
    path("workers/", workers.WorkerList.as_view(), name="worker-list"),
    path("workers/bulk/", workers.WorkerBulkCreate.as_view(), name="worker-bulk"),
    path("workers/<int:pk>/", workers.WorkerDetail.as_view(), name="worker-detail"),
    path("applications/", cases.ApplicationList.as_view(), name="application-list"),
    path("applications/<int:pk>/", cases.ApplicationDetail.as_view(), name="application-detail"),
    path("applications/<int:pk>/workers/", cases.CaseWorkers.as_view(), name="application-workers"),
    path("applications/<int:pk>/rule-check/", cases.ApplicationRuleCheck.as_view(), name="application-rule-check"),
    path("applications/<int:pk>/submit/", cases.ApplicationSubmit.as_view(), name="application-submit"),
    path("applications/<int:pk>/documents/", documents.CaseDocuments.as_view(), name="application-documents"),
    path("applications/<int:pk>/arrivals/", arrivals.CaseArrivals.as_view(), name="application-arrivals"),
    path("applications/<int:pk>/decision-letter/", cases.ApplicationLetter.as_view(), name="application-letter"),
    path("border/approved-workers/", border.BorderWorkerList.as_view(), name="border-workers"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found, name="not-found"),
]
