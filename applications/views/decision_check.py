"""The public check of a decision letter (no login): the letter prints a verification code and
this page's address; whoever holds the letter confirms here that such a decision exists, and sees
its outcome, date, region, company and the number of workers, nothing more."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from applications.decision_record import normalise_code
from applications.selectors.decision_check import decision_for_code
from portal.security.client_ip import client_ip_address
from portal.security.rate_limits import over_limit

# Lookups per address per minute: far above a person checking letters, far below guessing 80 bits.
LOOKUPS_PER_MINUTE = 30


class DecisionCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=40, help_text=_("As printed at the foot of the letter, e.g. ABCD-EFGH-JKLM-NPQR."),
    )


def _over_limit(request: HttpRequest) -> bool:
    return over_limit(f"decision-check:{client_ip_address(request) or '-'}", limit=LOOKUPS_PER_MINUTE, seconds=60)


@require_safe
def decision_check(request: HttpRequest, code: str = "") -> HttpResponse:
    if not code and "code" in request.GET:
        form = DecisionCheckForm(request.GET)
        if form.is_valid():
            return redirect("applications:decision_check", code=normalise_code(form.cleaned_data["code"]))
        return render(request, "applications/decision_check.html", {"form": form}, status=400)
    if not code:
        return render(request, "applications/decision_check.html", {"form": DecisionCheckForm()})
    if _over_limit(request):
        return render(request, "applications/decision_check.html", {"form": DecisionCheckForm(), "limited": True}, status=429)
    found = decision_for_code(code)
    context = {"form": DecisionCheckForm(initial={"code": code}), "code": code, "decision": found}
    return render(request, "applications/decision_check.html", context, status=200 if found else 404)
