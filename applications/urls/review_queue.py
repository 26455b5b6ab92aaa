"""The officer's queue."""

from django.urls import path

from applications.views import review_queue

urlpatterns = [
    path("review/", review_queue.review_queue, name="review-queue"),
]
