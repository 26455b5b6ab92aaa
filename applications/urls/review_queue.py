"""The officer's queue and the statistics of the officer's regions."""

from django.urls import path

from applications.views import review_queue, statistics

urlpatterns = [
    path("review/", review_queue.review_queue, name="review-queue"),
    path("review/statistics/", statistics.review_statistics, name="review-statistics"),
]
