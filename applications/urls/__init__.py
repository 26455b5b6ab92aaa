"""All URLs of the `applications` namespace, one module per area of the portal."""

from applications.urls import employer, review

app_name = "applications"

urlpatterns = [
    *employer.urlpatterns,
    *review.urlpatterns,
]
