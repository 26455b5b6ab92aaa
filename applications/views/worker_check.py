"""The public "Am I approved?" check (no login): a worker gives citizenship, passport number and
date of birth, and sees their approved arrivals (date, crossing point, employer, region), or one
answer for everything else, so nobody can learn from it whether a passport is known.

Guessing is slowed down per address and per passport, each check is written to the security
log without the passport, and every answer takes at least PUBLIC_CHECK_MIN_SECONDS, so the time
says nothing either. Posted, never in the address: a passport number does not belong in URLs,
browser histories or access logs."""

from __future__ import annotations

import hashlib
import logging
import time

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from applications.forms.common import LongSelect, date_input
from applications.forms.workers import CountryChoices
from applications.models.worker import passport_key
from applications.selectors.worker_check import approvals_of_person
from portal.security.client_ip import client_ip_address
from portal.security.rate_limits import over_limit

logger = logging.getLogger("portal.security")

CHECKS_PER_ADDRESS_PER_HOUR = 20
CHECKS_PER_PASSPORT_PER_HOUR = 5
# Approvals whose arrival was up to this many days ago are still shown (a worker on the way).
DAYS_BACK = 14


class WorkerCheckForm(forms.Form):
    citizenship = forms.ChoiceField(
        label=_("Citizenship"), choices=CountryChoices(), widget=LongSelect,
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, help_text=_("As printed in the passport."))
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=date_input())


def _passport_digest(citizenship: str, passport_number: str) -> str:
    return hashlib.sha256(f"{citizenship}:{passport_key(passport_number)}".encode()).hexdigest()[:32]


@require_http_methods(["GET", "HEAD", "POST"])
def worker_check(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "applications/worker_check.html", {"form": WorkerCheckForm()})
    started = time.monotonic()
    form = WorkerCheckForm(request.POST)
    context: dict = {"form": form}
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        address = client_ip_address(request) or "-"
        digest = _passport_digest(data["citizenship"], data["passport_number"])
        limited = over_limit(f"worker-check:ip:{address}", limit=CHECKS_PER_ADDRESS_PER_HOUR, seconds=3600)
        # Counted even when the address is over its limit: spreading guesses over addresses does not help.
        limited = over_limit(f"worker-check:passport:{digest}", limit=CHECKS_PER_PASSPORT_PER_HOUR, seconds=3600) or limited
        if limited:
            context["limited"], status = True, 429
        else:
            approvals = approvals_of_person(
                citizenship=data["citizenship"], passport_number=data["passport_number"], date_of_birth=data["date_of_birth"],
                since=timezone.localdate() - timezone.timedelta(days=DAYS_BACK),
            )
            context.update(checked=True, approvals=approvals)
        logger.info("worker_check ip=%s passport=%s limited=%s found=%s", address, digest[:12], limited, bool(context.get("approvals")))
    else:
        status = 400
    response = render(request, "applications/worker_check.html", context, status=status)
    # The same time whatever the answer (found, not found, wrong date of birth, limited).
    time.sleep(max(0.0, settings.PUBLIC_CHECK_MIN_SECONDS - (time.monotonic() - started)))
    return response
