from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm, NewPasswordForm

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register-done"),
    path("confirm/resend/", views.resend_confirmation, name="resend-confirmation"),
    path("confirm/<str:uidb64>/<str:token>/", views.confirm_email, name="confirm-email"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    # Django's view: it moves the token from the link into the session before showing the form,
    # so the token never leaks through a Referer header.
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NewPasswordForm, template_name="registration/password_reset_new.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_finished.html"),
        name="password-reset-complete",
    ),
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
