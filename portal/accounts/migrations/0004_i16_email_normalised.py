"""Stores every e-mail address in its normalised form (portal.accounts.email_address), which
sign-in, sign-up and the lockout now compare exactly.

Two accounts may turn out to be one address (say "ıvan@x.example" and "ivan@x.example", which
the old case-insensitive rule let through). The older account keeps the address and signs in as
before: it is the likelier owner, and the newer one is what the look-alike trick makes. Each
newer one is switched off, not deleted (it may hold a company's cases), under its original
address followed by ".duplicate-<id>.invalid": a reserved domain that no mail is sent to, that
no sign-in can reach, and that still shows an admin what it was. Each such account is logged
(logger portal.accounts, WARNING) for an admin to settle.
"""

import logging
import unicodedata
from collections import defaultdict

from django.db import migrations

logger = logging.getLogger("portal.accounts")

MAX_EMAIL = 254


def _normalise(value: str) -> str:
    # A copy of portal.accounts.email_address.normalise_email as it stood, so that this migration
    # keeps doing what it did if that function changes later.
    folded = unicodedata.normalize("NFKC", str(value)).upper().casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def _duplicate_address(original: str, pk: int) -> str:
    suffix = f".duplicate-{pk}.invalid"
    return original[: MAX_EMAIL - len(suffix)] + suffix


def normalise_stored_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    groups = defaultdict(list)
    for user in User.objects.order_by("date_joined", "pk").only("pk", "email", "date_joined", "is_active"):
        if user.email.endswith(".invalid") and ".duplicate-" in user.email:
            continue  # set aside by an earlier run
        groups[_normalise(user.email)].append(user)

    # Set the duplicates aside first, so that the address is free for the account keeping it.
    for normalised, users in groups.items():
        kept, *duplicates = users
        for duplicate in duplicates:
            User.objects.filter(pk=duplicate.pk).update(email=_duplicate_address(duplicate.email, duplicate.pk), is_active=False)
            logger.warning(
                "accounts 0004: user %s is switched off: its e-mail is the same address as that of user %s (older), "
                "which keeps it; an admin should merge or remove it",
                duplicate.pk,
                kept.pk,
            )
    for normalised, users in groups.items():
        kept = users[0]
        if kept.email != normalised:
            User.objects.filter(pk=kept.pk).update(email=normalised)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_i15_officer_position"),
    ]

    operations = [
        # Nothing to undo on the way back: the normalised addresses work with the old code too.
        migrations.RunPython(normalise_stored_emails, migrations.RunPython.noop),
    ]
