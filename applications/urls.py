from django.urls import path

from applications.views import employer, review

app_name = "applications"

urlpatterns = [
    # Employer pages
    path("employer/", employer.employer_home, name="employer-home"),
    path("employer/applications/new/", employer.application_create, name="application-create"),
    path("employer/applications/<int:pk>/", employer.application_detail, name="application-detail"),
    path("employer/applications/<int:pk>/edit/", employer.application_edit, name="application-edit"),
    path("employer/applications/<int:pk>/workers/add/", employer.application_add_worker, name="application-add-worker"),
    path(
        "employer/applications/<int:pk>/workers/<int:line_pk>/remove/",
        employer.application_remove_worker,
        name="application-remove-worker",
    ),
    path("employer/applications/<int:pk>/submit/", employer.application_submit, name="application-submit"),
    path("employer/applications/<int:pk>/withdraw/", employer.application_withdraw, name="application-withdraw"),
    path("employer/applications/<int:pk>/answer/", employer.application_answer, name="application-answer"),
    path("employer/workers/", employer.worker_list, name="worker-list"),
    path("employer/workers/new/", employer.worker_create, name="worker-create"),
    # Regional review dashboard
    path("review/", review.review_queue, name="review-queue"),
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
]
