"""The company's API keys: the list with their state and last use, making a key (shown once) and revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from applications.forms.api_keys import ApiKeyForm
from applications.selectors.api_keys import api_key_get_for_employer, api_keys_for_employer
from applications.selectors.employer import employer_for_user
from applications.services.api_keys import api_key_create, api_key_revoke
from applications.services.errors import TransitionRefused
from applications.views.decorators import employer_required
from applications.views.refusals import refusal_as_message


@employer_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def api_key_list(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            new_key = api_key_create(
                employer=employer_for_user(request.user),
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at,
            )
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            # Rendered, not redirected: the key is in this response only and never stored.
            form = ApiKeyForm()
    context = {"keys": api_keys_for_employer(user=request.user), "form": form, "new_key": new_key}
    return render(request, "applications/company/api_keys.html", context)


@employer_required
@require_POST
def api_key_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    key = api_key_get_for_employer(user=request.user, pk=pk)
    with refusal_as_message(request):
        api_key_revoke(key=key, user=request.user)
        messages.success(request, gettext("The key “%(name)s” is revoked: it no longer works.") % {"name": key.name})
    return redirect("applications:api-keys")
