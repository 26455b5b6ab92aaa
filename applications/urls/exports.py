"""The officer's exports: the filtered queue and the border service's list."""

from django.urls import path

from applications.views import exports

urlpatterns = [
    path("review/export.csv", exports.review_export_csv, name="review-export-csv"),
    path("review/export.xlsx", exports.review_export_xlsx, name="review-export-xlsx"),
    path("review/exports/", exports.review_exports, name="review-exports"),
    path("review/exports/<int:pk>/download/", exports.review_export_download, name="review-export-download"),
    path("review/export/border-list.csv", exports.review_export_border_list, name="review-export-border-list"),
    path(
        "review/charters/<int:pk>/border-list.csv", exports.review_export_charter_border_list, name="review-charter-border-list"
    ),
]
