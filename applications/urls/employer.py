"""The employer's pages."""

from django.urls import path

from applications.views import case_workers, employer

urlpatterns = [
    path("employer/", employer.employer_home, name="employer-home"),
    path("employer/applications/new/", employer.application_create, name="application-create"),
    path("employer/applications/<int:pk>/", employer.application_detail, name="application-detail"),
    path("employer/applications/<int:pk>/edit/", employer.application_edit, name="application-edit"),
    path("employer/applications/<int:pk>/rule-check/", employer.application_rule_check, name="application-rule-check"),
    path("employer/applications/<int:pk>/copy/", employer.application_copy_view, name="application-copy"),
    path("employer/applications/<int:pk>/workers/add/", employer.application_add_worker, name="application-add-worker"),
    path(
        "employer/applications/<int:pk>/workers/<int:line_pk>/remove/",
        employer.application_remove_worker,
        name="application-remove-worker",
    ),
    # Filling a draft with many workers (issue 17).
    path("employer/applications/<int:pk>/workers/bulk-add/", case_workers.case_workers_bulk_add, name="application-workers-bulk-add"),
    path("employer/applications/<int:pk>/workers/import/", case_workers.case_workers_import_view, name="application-workers-import"),
    path("employer/applications/<int:pk>/workers/manage/", case_workers.case_workers_manage, name="application-workers-manage"),
    path("employer/applications/<int:pk>/submit/", employer.application_submit, name="application-submit"),
    path("employer/applications/<int:pk>/delete/", employer.application_delete, name="application-delete"),
    path("employer/applications/<int:pk>/withdraw/", employer.application_withdraw, name="application-withdraw"),
    path("employer/applications/<int:pk>/answer/", employer.application_answer, name="application-answer"),
]
