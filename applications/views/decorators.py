"""Role gates for views: anonymous users go to the login page, the wrong role gets 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from applications.permissions import employer_id_of
from portal.accounts.models import Role


def employer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if employer_id_of(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def officer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.OFFICER:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
