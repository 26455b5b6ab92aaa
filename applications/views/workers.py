"""The company's worker registry."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from applications import selectors, services
from applications.forms.workers import WorkerForm
from applications.views.decorators import employer_required
from regions.countries import country_name

PAGE_SIZE = 25


@employer_required
@require_http_methods(["GET", "HEAD"])
def worker_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.worker_list_for_employer(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for worker in page:
        worker.citizenship_name = country_name(worker.citizenship)
    return render(request, "applications/employer/worker_list.html", {"page": page})


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def worker_create(request: HttpRequest) -> HttpResponse:
    employer = selectors.employer_for_user(request.user)
    form = WorkerForm(request.POST or None, employer=employer)
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.worker_create(employer=employer, user=request.user, **form.cleaned_data)
        except IntegrityError:
            # Another tab added the same passport between the form's check and this insert.
            form.add_error("passport_number", gettext("A worker with this passport number and citizenship is already in your registry."))
        else:
            messages.success(request, gettext("%(worker)s is added to your registry.") % {"worker": worker.display_name})
            return redirect("applications:worker-list")
    return render(request, "applications/employer/worker_form.html", {"form": form})
