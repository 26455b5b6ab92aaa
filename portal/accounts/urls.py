from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register-done"),
    path("confirm/resend/", views.resend_confirmation, name="resend-confirmation"),
    path("confirm/<str:uidb64>/<str:token>/", views.confirm_email, name="confirm-email"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("second-factor/setup/", views.otp_setup, name="otp-setup"),
    path("second-factor/verify/", views.otp_verify, name="otp-verify"),
]

# Recovery codes of the second factor (issue 16, item 10), in a module of their own.
from . import recovery_views  # noqa: E402

urlpatterns += [
    path("second-factor/recovery/", recovery_views.otp_recovery, name="otp-recovery"),
    path("second-factor/recovery-codes/", recovery_views.otp_recovery_codes, name="otp-recovery-codes"),
]
