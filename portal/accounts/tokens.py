"""The one-use token in the e-mail confirmation link."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's signed, expiring token (PASSWORD_RESET_TIMEOUT, three days by default).

    Its own salt keeps a confirmation token from ever passing as a password-reset token. The hash
    includes `is_active`, so the link stops working once it has activated the account; Django's
    hash already includes the last login, which the confirmation sets too.
    """

    key_salt = "portal.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


email_confirmation_token = EmailConfirmationTokenGenerator()
