from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control

from portal.accounts import views as account_views
from portal.metrics import metrics


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without a `rel="icon"` link (Django admin, a PDF)."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("metrics", metrics, name="metrics"),
    path("", account_views.home, name="home"),
    path("accounts/", include("portal.accounts.urls")),
    path("", include("applications.urls")),
    path("api/v1/", include("applications.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
