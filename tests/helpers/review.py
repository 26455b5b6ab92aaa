"""The officer's actions through the review pages, as the buttons post them."""

from django.urls import reverse


def take_into_review(officer_client, application):
    url = reverse("applications:review-take", kwargs={"pk": application.pk})
    return officer_client.post(url, {"version": application.version})
