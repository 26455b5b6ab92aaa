from django.urls import path

from applications.views import employer, review

app_name = "applications"

urlpatterns = [
    # Employer pages
    path("employer/", employer.employer_home, name="employer-home"),
    # Regional review dashboard
    path("review/", review.review_queue, name="review-queue"),
]
