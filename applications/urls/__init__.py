"""All URLs of the `applications` namespace, one module per area of the portal."""

from applications.urls import employer, review_case, review_queue, workers

app_name = "applications"

urlpatterns = [
    *employer.urlpatterns,
    *workers.urlpatterns,
    *review_queue.urlpatterns,
    *review_case.urlpatterns,
]
