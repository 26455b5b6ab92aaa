from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .models import Role

HOME_BY_ROLE = {
    Role.EMPLOYER: "applications:employer-home",
    Role.OFFICER: "applications:review-queue",
    Role.ADMIN: "admin:index",
}


@login_required
def home(request):
    """`/` sends each role to its own home page."""
    target = HOME_BY_ROLE.get(request.user.role)
    if target is None:
        raise PermissionDenied
    return redirect(target)
