"""Settings, read from the environment; with nothing set they are production's.

They fail closed: without DJANGO_DEBUG=1, startup refuses unless DJANGO_SECRET_KEY,
DATABASE_URL and CELERY_BROKER_URL are set, and the development conveniences stay off.
DJANGO_DEBUG=1 (`make run` sets it) is the one switch for development: DEBUG, a
development secret key, SQLite and eager Celery when no database or broker is named, e-mail
on the console, a development seal created under var/signing, http links and cookies, and
the demo's second-factor code when DEMO_MFA_BYPASS_CODE is set. The test suite switches it
on in config/settings_test.py. The README lists every variable.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The development switch: off unless set, so a missing variable never means development.
DEBUG = env_bool("DJANGO_DEBUG", False)

# Production names its key, database and broker; development has stand-ins for them.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-do-not-use-in-production-8f3c2a" if DEBUG else "")
_database_url = os.environ.get("DATABASE_URL") or (
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}" if DEBUG else "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or ("memory://" if DEBUG else "")
# The cache every web process shares (rate limits count there): Redis in production;
# development counts in each process's memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
# Applicants' uploaded documents are encrypted at rest with this Fernet key (documents/
# storage.py; generate one with `python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())"`). Development derives one from its secret key.
_dev_documents_key = hashlib.sha256(f"documents.storage:{SECRET_KEY}".encode()).digest()
DOCUMENTS_ENCRYPTION_KEY = os.environ.get("DOCUMENTS_ENCRYPTION_KEY") or (
    base64.urlsafe_b64encode(_dev_documents_key).decode() if DEBUG else "")
# Keys used before a rotation (comma-separated): still decrypt, never encrypt.
DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS = env_list("DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS")
_unset = [name for name, value in [("DJANGO_SECRET_KEY", SECRET_KEY),
                                   ("DATABASE_URL", _database_url),
                                   ("CELERY_BROKER_URL", CELERY_BROKER_URL),
                                   ("DOCUMENTS_ENCRYPTION_KEY", DOCUMENTS_ENCRYPTION_KEY),
                                   ("CACHE_URL", CACHE_URL or DEBUG)]
          if not value]
if _unset:
    raise ImproperlyConfigured(
        f"Set {', '.join(_unset)}: production settings have no default for them "
        "(for development, set DJANGO_DEBUG=1; see the README)."
    )

# Reverse proxies in front of the site (0: clients connect directly). The signature of a
# filing records the client's address, read from X-Forwarded-For behind that many proxies.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "security",
    "workflows",
    "registry",
    "amendments",
    "documents",
    "payments",
    "notifications",
    "outbox",
    "privacy",
    "partners",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.SecurityHeadersMiddleware",
    "security.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "security.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.FrenchFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "security.middleware.RateLimitMiddleware",
    "privacy.middleware.StaffAccessLogMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "workflows.context_processors.staff_desks",
                "payments.context_processors.counter_access",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def database_settings(default_url: str, replica_url: str = "", *,
                      conn_max_age: int = 0) -> dict[str, dict]:
    """DATABASES from the primary's URL and, when set, a streaming read replica's.

    The replica ("replica") serves only the reads that ask for it (workflows.replica,
    config.routers); its TEST MIRROR makes a test run use the primary's test database for it
    rather than create a second one."""
    # A connection kept between requests or tasks is checked before its first query of the
    # next one: a database restart costs a reconnection, not a failed page or task.
    options = {"conn_max_age": conn_max_age, "conn_health_checks": conn_max_age > 0}
    databases = {"default": dj_database_url.parse(default_url, **options)}
    if replica_url:
        replica = dj_database_url.parse(replica_url, **options)
        replica["TEST"] = {"MIRROR": "default"}
        databases["replica"] = replica
    return databases


# A PostgreSQL streaming replica for the heavy reads that may lag (public search and company
# pages, open data, dashboards): docs/scale-out.md. Unset: every query goes to DATABASE_URL.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASES = database_settings(
    _database_url, DATABASE_REPLICA_URL,
    conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
)
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"] if DATABASE_REPLICA_URL else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail login, mandatory verification, MFA (TOTP) for staff.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guichet unique] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Guichet unique des entreprises"
# Desk members must have an authenticator app before they reach the back office.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)
# Demo only (`make run` sets it): a fixed second-factor code, ignored without DJANGO_DEBUG=1
# (allauth refuses it without DEBUG too).
MFA_TOTP_INSECURE_BYPASS_CODE = (os.environ.get("DEMO_MFA_BYPASS_CODE") or None) if DEBUG else None

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Lome"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Kept files (identity documents among them) are readable by the server's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Guichet unique <no-reply@guichet.example.tg>"
)

# Celery (CELERY_BROKER_URL above): eager, in the web process, only in development without
# a broker (the embedded demo); production always sends tasks to its broker.
CELERY_TASK_ALWAYS_EAGER = DEBUG and CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# A killed worker's unacknowledged job goes back to the queue after this many seconds
# (Redis's default is an hour). It must exceed the longest retry countdown (autoretry's
# backoff is capped at 300 s, notification retries at 480 s), or waiting retries run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900")),
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
# A page whose decision is saved never waits long on a missing broker: the outbox keeps
# the work and its relay sends it later (outbox.services).
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.5, "interval_max": 0.5}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A worker keeps its database connection between tasks for DJANGO_CONN_MAX_AGE, as a web
# process does between requests: config.celery closes it after a task only when Django
# would (too old or broken). Celery's own Django fix-up would close it around every task,
# a new PostgreSQL backend per task (about 60 a second under the procedure benchmark);
# with this it does so only once every thousand tasks.
CELERY_DB_REUSE_MAX = 1000

# Background work not done within its lease is sent again by the relay (seconds). Above
# the visibility timeout, Redis's restore scan (~100 s) and the task time limit, so the
# relay catches what the broker lost rather than racing its redelivery.
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "1500"))
OUTBOX_RELAY_SECONDS = float(os.environ.get("OUTBOX_RELAY_SECONDS", "30"))

# Notifications: SMS provider (console, file or HTTP) and the retry policy of deliveries.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.sms.ConsoleSmsBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.jsonl"))
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "10"))
NOTIFICATION_MAX_RETRIES = int(os.environ.get("NOTIFICATION_MAX_RETRIES", "5"))
NOTIFICATION_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "30"))

# Absolute links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Periodic scans (celery beat).
# Bytes on storage without their row are swept after this long (longer than any task or
# request that could still commit them).
DOCUMENTS_UNRECORDED_GRACE_SECONDS = int(os.environ.get("DOCUMENTS_UNRECORDED_GRACE_SECONDS",
                                                        "3600"))
CELERY_BEAT_SCHEDULE = {
    "sweep-unrecorded-files": {
        "task": "documents.tasks.sweep_unrecorded_files",
        "schedule": 3600.0,
    },
    "relay-outbox": {
        "task": "outbox.tasks.relay_outbox",
        "schedule": OUTBOX_RELAY_SECONDS,
    },
    # Before the dashboards' cached figures (DASHBOARD_CACHE_SECONDS, 300 s) expire.
    "refresh-dashboards": {
        "task": "workflows.tasks.refresh_dashboards",
        "schedule": float(os.environ.get("DASHBOARD_REFRESH_SECONDS", "240")),
    },
    "escalate-overdue-tasks": {
        "task": "workflows.tasks.scan_overdue_tasks",
        "schedule": float(os.environ.get("SLA_SCAN_SECONDS", "300")),
    },
    "purge-personal-data": {
        "task": "privacy.tasks.purge_personal_data",
        "schedule": float(os.environ.get("PRIVACY_PURGE_SECONDS", str(24 * 3600))),
    },
    "remind-criminal-record-extracts": {
        "task": "registry.tasks.send_extract_reminders",
        "schedule": 24 * 3600.0,
    },
    "export-open-data": {
        "task": "registry.tasks.export_open_data",
        "schedule": 24 * 3600.0,
    },
    # At 02:30 UTC, at night in Lomé (an interval would restart with every beat restart: a
    # deploy a day and it would never run).
    "refresh-name-vocabulary": {
        "task": "registry.tasks.refresh_name_vocabulary",
        "schedule": crontab(hour=2, minute=30),
    },
    "purge-api-calls": {
        "task": "partners.tasks.purge_api_calls",
        "schedule": 24 * 3600.0,
    },
    "reconcile-pending-payments": {
        "task": "payments.tasks.reconcile_pending_payments",
        "schedule": float(os.environ.get("PAYMENTS_RECONCILE_SECONDS", "300")),
    },
}

# Payments (payments app). Providers are keyed by code; an online provider with no
# credentials is not offered. The defaults point at the local simulators (make run's demo,
# the tests): production sets the providers' real addresses and keys.
PAYMENT_PROVIDERS = {
    "fedapay": {
        "BASE_URL": os.environ.get("FEDAPAY_BASE_URL", "http://127.0.0.1:8701"),
        "SECRET_KEY": os.environ.get("FEDAPAY_SECRET_KEY", "sk_simulator" if DEBUG else ""),
        "WEBHOOK_SECRET": os.environ.get("FEDAPAY_WEBHOOK_SECRET",
                                         "wh_simulator" if DEBUG else ""),
        # Seconds a signed webhook's timestamp may differ from our clock.
        "TOLERANCE": int(os.environ.get("FEDAPAY_WEBHOOK_TOLERANCE", "300")),
    },
    "paygate": {
        "BASE_URL": os.environ.get("PAYGATE_BASE_URL", "http://127.0.0.1:8702"),
        "AUTH_TOKEN": os.environ.get("PAYGATE_AUTH_TOKEN", "pg_simulator" if DEBUG else ""),
    },
}
PAYMENT_HTTP_TIMEOUT = float(os.environ.get("PAYMENT_HTTP_TIMEOUT", "10"))
# A payment still pending after this many minutes is asked about by the reconciliation.
PAYMENTS_RECONCILE_AFTER_MINUTES = int(os.environ.get("PAYMENTS_RECONCILE_AFTER_MINUTES", "15"))
# A pending payment the provider cannot tell about after this many hours is closed as expired.
PAYMENTS_ABANDON_AFTER_HOURS = int(os.environ.get("PAYMENTS_ABANDON_AFTER_HOURS", "24"))
# What becomes of a paid fee when the filing is rejected or withdrawn: "kept" or "refunded".
PAYMENTS_FEE_ON_END = os.environ.get("PAYMENTS_FEE_ON_END", "kept")

# Personal data (law 2019-014, privacy app): abandoned drafts and replaced versions of
# uploads are erased after these many days; submitted filings are never erased.
PRIVACY_DRAFT_RETENTION_DAYS = int(os.environ.get("PRIVACY_DRAFT_RETENTION_DAYS", "180"))
PRIVACY_SUPERSEDED_UPLOAD_RETENTION_DAYS = int(
    os.environ.get("PRIVACY_SUPERSEDED_UPLOAD_RETENTION_DAYS", "90"))

# The register: the court that keeps it (RCCM numbers read TG-<court>-<year>-<letter>-<n>).
REGISTRY_COUNTRY_CODE = "TG"
REGISTRY_COURT_CODE = os.environ.get("REGISTRY_COURT_CODE", "LOM")
REGISTRY_COURT_NAME = os.environ.get(
    "REGISTRY_COURT_NAME", "Tribunal de commerce de Lomé"
)
# Name check: pg_trgm similarity from which a name is flagged for a clerk. 0.65 keeps the
# check under 30 ms at p95 on 1,000,000 names here and still finds 92 % of typos
# (tests/bench/bench_names.py); lower values flag more and search longer.
REGISTRY_NAME_SIMILARITY_THRESHOLD = float(
    os.environ.get("REGISTRY_NAME_SIMILARITY_THRESHOLD", "0.75"))
REGISTRY_RESERVED_WORDS_FILE = os.environ.get(
    "REGISTRY_RESERVED_WORDS_FILE", str(BASE_DIR / "registry" / "data" / "reserved_words.yaml"))
# Identity document numbers accepted at screening (letters, digits, dashes; 6 to 30).
REGISTRY_ID_NUMBER_PATTERN = os.environ.get(
    "REGISTRY_ID_NUMBER_PATTERN", r"[A-Za-z0-9][A-Za-z0-9\-/ ]{4,28}[A-Za-z0-9]"
)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Abuse resistance and privacy on shared computers (security app, SECURITY.md) ---
# Rate limits count in this cache (CACHE_URL above): Redis shared by every web process in
# production, else each process's memory, counting per process (development).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": CACHE_URL, "KEY_PREFIX": "guichet"}
    if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# allauth counts by the same client address as the rest of the site.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# The app's own sensitive views (security.middleware.RateLimitMiddleware), per signed-in
# user, else per client address: "count/period" or {"rate": ..., "methods": [...]}.
SECURITY_RATE_LIMITS = {
    "registry:name_check": "60/m",
    "registry:review": {"rate": "5/10m", "methods": ["POST"]},  # sends a signature code
    "registry:sign": {"rate": "10/10m", "methods": ["POST"]},  # confirms it
    "documents:verify_upload": {"rate": "10/m", "methods": ["POST"]},
    "documents:verify_code": "60/m",
}
# No inline script anywhere; no inline style in pages (only e-mails, which it does not cover).
SECURITY_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "security.views.csrf_failure"
# Shared computers (cybercafés, desks): a session ends with the browser, or after two hours
# without a request, whichever comes first. A session in use is written back at most every
# five minutes (security.middleware.SlidingSessionMiddleware), not on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 3600)))
SESSION_REFRESH_SECONDS = min(5 * 60, SESSION_COOKIE_AGE // 4)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Document signing (documents app) ---
# The seal on issued PDFs (PAdES, pyHanko): see documents/signing.py. The registry's key
# and certificate come as a PKCS#12 file or as PEM files, the passphrase from the
# environment. With none set, development (DJANGO_DEBUG=1) creates and uses a local CA under
# var/signing; production refuses to start without a key or with that development key.
DOCUMENT_SIGNER = os.environ.get("DOCUMENT_SIGNER", "documents.signing.PadesSigner")
DOCUMENT_SIGNING_PKCS12 = os.environ.get("DOCUMENT_SIGNING_PKCS12", "")
DOCUMENT_SIGNING_KEY = os.environ.get("DOCUMENT_SIGNING_KEY", "")
DOCUMENT_SIGNING_CERT = os.environ.get("DOCUMENT_SIGNING_CERT", "")
DOCUMENT_SIGNING_PASSPHRASE = os.environ.get("DOCUMENT_SIGNING_PASSPHRASE", "")
DOCUMENT_SIGNING_CHAIN = os.environ.get("DOCUMENT_SIGNING_CHAIN", "")
# Roots whose seals the public verification accepts as the registry's (PEM bundle, every
# root ever used, so old documents still verify); empty: the signing chain's root.
DOCUMENT_SIGNING_TRUST_ROOTS = os.environ.get("DOCUMENT_SIGNING_TRUST_ROOTS", "")
DOCUMENT_SIGNING_ALLOW_DEV_KEY = DEBUG
DOCUMENT_SIGNING_DEV_DIR = Path(
    os.environ.get("DOCUMENT_SIGNING_DEV_DIR") or BASE_DIR / "var" / "signing"
)
# RFC 3161 timestamps (PAdES B-T) when set; the TSA's roots to check them on verification.
DOCUMENT_TSA_URL = os.environ.get("DOCUMENT_TSA_URL", "")
DOCUMENT_TSA_TRUST_ROOTS = os.environ.get("DOCUMENT_TSA_TRUST_ROOTS", "")
DOCUMENT_TSA_TIMEOUT = int(os.environ.get("DOCUMENT_TSA_TIMEOUT", "10"))
# Printed in the QR code; empty: SITE_URL. Production needs https.
DOCUMENT_VERIFICATION_BASE_URL = os.environ.get("DOCUMENT_VERIFICATION_BASE_URL", "").rstrip("/")
# Applicants' supporting documents (PDF, JPEG, PNG, checked by content).
DOCUMENT_UPLOAD_MAX_BYTES = int(os.environ.get("DOCUMENT_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = int(
    os.environ.get("DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))
)

# The partner API (partners app): agencies and banks call it with a token of their own.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["partners.authentication.PartnerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["partners.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["partners.throttling.PartnerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"partner": os.environ.get("PARTNER_API_RATE", "120/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guichet unique des entreprises - API des partenaires",
    "DESCRIPTION": "Registre du commerce du Togo : entreprises, immatriculations, actions des "
                   "administrations partenaires.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Outbound notifications to partners: seconds to wait for a partner's answer.
PARTNER_WEBHOOK_TIMEOUT = float(os.environ.get("PARTNER_WEBHOOK_TIMEOUT", "10"))
# The API call log is kept this many days (purged daily by beat).
PARTNER_API_LOG_DAYS = int(os.environ.get("PARTNER_API_LOG_DAYS", "365"))
# Open data (registry.public.opendata): where the daily export is written, in the storage,
# and how many exports are kept.
OPEN_DATA_DIR = os.environ.get("OPEN_DATA_DIR", "open-data")
OPEN_DATA_KEEP = int(os.environ.get("OPEN_DATA_KEEP", "7"))

