"""The sessions the bench signs in with and the ids its URLs need."""

from __future__ import annotations

from dataclasses import dataclass

from config import EXPORT_ROWS

# The trivial page's visitor: signed in as nobody (any cookie will do for wrk's header).
ANONYMOUS, ANONYMOUS_COOKIE = "anonymous", "bench=1"
ACCOUNTS = {
    "officer": "officer.77@scale.local",
    "federal": "officer.federal@scale.local",
    "employer": "employer.big@scale.local",
    "admin": "admin@scale.local",
}


def session_backend() -> str:
    """The backend a signed-in session names: the first that can load a user (as Django's test
    client picks it); a lockout backend in front of it only refuses logins."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user"))


def second_factor_session(user) -> dict:
    """Session data of a user who has given a code from an authenticator app, for the accounts
    that need one (officers and admins in production): a confirmed TOTP device of the bench."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.accounts.models import Role

    if user.role not in (Role.OFFICER, Role.ADMIN) and not user.is_staff:
        return {}
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    return {DEVICE_ID_SESSION_KEY: device.persistent_id}


@dataclass
class Fixtures:
    cookies: dict[str, str]
    moscow_id: int
    moscow_cases: int
    case_paths: list[str]
    export_path: str
    export_rows_expected: int
    big_employer_cases: int
    postgres: str
    counts: dict[str, int]


def prepare(case_sample: int) -> Fixtures:
    """Sessions for the accounts the bench signs in as, and the ids and filters its URLs need."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    from applications.models import Application, CaseWorker, Status, StatusChange, Worker
    from devdata import scale_data
    from portal.accounts.models import User
    from regions.models import Region

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for key, email in ACCOUNTS.items():
        user = User.objects.get(email=email)
        store = store_class()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY], store[HASH_SESSION_KEY] = (
            str(user.pk),
            session_backend(),
            user.get_session_auth_hash(),
        )
        store.update(second_factor_session(user))
        store.create()
        cookies[key] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    cookies[ANONYMOUS] = ANONYMOUS_COOKIE

    moscow = Region.objects.get(number=scale_data.MOSCOW)
    in_moscow = Application.objects.filter(region=moscow).exclude(status=Status.DRAFT)
    # Cases in review: the page an officer works on, and twice as slow as a decided case's, so a
    # random sample (mostly decided cases) would hide it.
    ids = list(in_moscow.filter(status=Status.IN_REVIEW).order_by("?").values_list("pk", flat=True)[:case_sample])
    if not ids:
        raise SystemExit("Moscow has no case in review to measure the case page with; seed more cases (--cases).")
    # The export: the federal reviewer's queue submitted up to the day when it reaches 100,000 cases.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (submitted_at AT TIME ZONE 'Europe/Moscow')::date AS day, count(*) FROM applications_application "
            "WHERE status <> 'draft' AND submitted_at IS NOT NULL GROUP BY day ORDER BY day"
        )
        total, last_day = 0, None
        for day, cases in cursor.fetchall():
            total, last_day = total + cases, day
            if total >= EXPORT_ROWS:
                break
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0].split(" on ")[0]
    employer = User.objects.get(email=scale_data.BIG_EMPLOYER_EMAIL).employer_membership.employer
    return Fixtures(
        cookies=cookies,
        moscow_id=moscow.pk,
        moscow_cases=in_moscow.count(),
        case_paths=[f"/review/applications/{pk}/" for pk in ids],
        export_path=f"/review/export.csv?submitted_to={last_day.isoformat()}",
        export_rows_expected=total,
        big_employer_cases=Application.objects.filter(employer=employer).count(),
        postgres=postgres,
        counts={
            "applications": Application.objects.count(),
            "lines": CaseWorker.objects.count(),
            "workers": Worker.objects.count(),
            "history": StatusChange.objects.count(),
        },
    )
