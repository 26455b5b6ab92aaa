from django.contrib import admin
from django.urls import include, path

from portal.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("portal.accounts.urls")),
    path("", include("applications.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
