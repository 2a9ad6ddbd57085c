"""Settings for the talent conversations site.

One module, configured by environment variables (see `.env.example`). The
defaults run on a laptop with no services: SQLite under `var/`, no Redis
(background work runs in-process) and email printed to the console.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-key-only-never-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "talentapp.admin.TalentAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "people",
    "conversations",
    "grid",
    "pdp",
    "opportunities",
    "talentapp",  # the project's own commands and tasks, which reach every app (no models)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "talentapp.middleware.SessionLimitMiddleware",
    "people.middleware.AccessLogMiddleware",
    "axes.middleware.AxesMiddleware",
    "conversations.middleware.PreserveUnsavedPostMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "talentapp.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "talentapp.urls"
WSGI_APPLICATION = "talentapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
_default_database_url = f"sqlite:///{VAR_DIR / 'talentapp.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or _default_database_url, conn_max_age=600, conn_health_checks=True
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django understands: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Settings for each connection (docs/operations.md, "PostgreSQL"): no JIT compilation, which
    # costs the larger pages tens of milliseconds and saves nothing on short queries, and sorts
    # and hashes over 100,000 staff kept in memory. Empty for a pooler that refuses them.
    session_options = env_str("DATABASE_SESSION_OPTIONS", "-c jit=off -c work_mem=16MB")
    if session_options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = session_options
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL: readers do not wait for the writer, and a commit does not wait for a full disk sync.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too, not Django's in-memory default: with an in-memory database the live
    # server's request threads and the test share one connection, and two threads working one
    # SQLite connection can wait on each other for ever (a browser test hung CI that way).
    # One file per test run (two runs at once must not share one), removed when the run ends.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"talentapp-test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after SESSION_IDLE_MINUTES without a request (pages warn a few minutes
# before and offer to stay signed in), SESSION_MAX_HOURS after signing in whatever
# happens (talentapp.middleware.SessionLimitMiddleware), and when the browser closes.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Not every request: talentapp.middleware saves a signed-in session again once its last save is
# SESSION_TOUCH_SECONDS old, which renews the idle limit at a write a minute per busy person.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in resists guessing (django-axes): an account is locked for AXES_COOLOFF_TIME after
# LOCKOUT_FAILURES wrong passwords within that time, from whatever address; an address is
# throttled after LOCKOUT_ADDRESS_FAILURES failures within it, whatever the accounts
# (talentapp.signin.AddressThrottlingHandler). Every failure is logged with user name and address.
LOCKOUT_FAILURES = env_int("LOCKOUT_FAILURES", 10)
LOCKOUT_ADDRESS_FAILURES = env_int("LOCKOUT_ADDRESS_FAILURES", 50)
AXES_FAILURE_LIMIT = LOCKOUT_FAILURES
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HANDLER = "talentapp.signin.AddressThrottlingHandler"
AXES_CLIENT_IP_CALLABLE = "talentapp.signin.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# axes warns that locking by user name alone lets an attacker rotate accounts; the handler
# above also throttles each address, at a higher limit than an account's.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password reset requests from one address, and reset emails to one account, in PASSWORD_RESET_WINDOW.
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 5)
PASSWORD_RESET_PER_ACCOUNT = 1
PASSWORD_RESET_WINDOW = timedelta(minutes=15)

# A cache shared by the web processes (throttling counts): Redis when there is one.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            # A Redis that stops answering costs a page half a second, not a hang.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (UK)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Riverside University Hospitals NHS Foundation Trust")
# Where the site is reached, for links in emails and calendar invites (no trailing slash).
# Required when DEBUG is off: a missing one would point every email at this machine.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL is required when DEBUG is off: the site's public address, used in every email and "
        "calendar invite (e.g. https://talent.example.nhs.uk)."
    )
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://; got {SITE_URL!r}.")

# Email: the console unless told otherwise.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "email"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Talent conversations <talent@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people report an accessibility problem (the accessibility statement, /accessibility/).
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "accessibility@localhost")

# Celery: Redis when REDIS_URL is set; otherwise tasks run in-process.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://; got {REDIS_URL!r}.")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Two queues, so that long work never holds up the reminders: `reminders` (emails and the reminder
# scan) and `exports` (HR's plan exports, staff imports, the daily retention run). `make stack` runs a
# worker for each; one worker may also take both (`celery worker -Q reminders,exports`).
CELERY_TASK_DEFAULT_QUEUE = "reminders"
CELERY_TASK_ROUTES = {
    "pdp.tasks.exports_recover_task": {"queue": "reminders"},
    "people.tasks.import_jobs_recover_task": {"queue": "reminders"},
    "conversations.tasks.*": {"queue": "reminders"},
    "talentapp.tasks.*": {"queue": "exports"},
    "pdp.tasks.*": {"queue": "exports"},
    "people.tasks.*": {"queue": "exports"},
}
# A worker takes one task at a time per process: a long export is not handed a second one to hold.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A refusing or hung Redis must never hold a web request for long: short socket
# timeouts and a single quick publish retry keep the worst case near 4 seconds.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.5
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 1.5, "socket_connect_timeout": 1.5, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Security. With DEBUG off these are on so that `check --deploy` passes.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Cookies sent over HTTPS only. Off solely for running like production over plain http
# on one's own machine (`make stack`): browsers would not send secure cookies back.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
if SESSION_COOKIE_SECURE:
    # __Host-: the browser keeps them for this host only, over HTTPS, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("SECURE_PROXY_SSL_HEADER", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    # axes tells of every sign-in at INFO; failures are logged by talentapp.signin.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Development plans: HR's bulk exports (zips of PDFs) go here. Web processes and workers must
# share the folder. Unset or empty (as in .env.example): var/exports.
PDP_EXPORT_DIR = Path(env_str("PDP_EXPORT_DIR") or VAR_DIR / "exports")

# The staff import page refuses a larger file, by its size, before reading it (default 50 MB:
# an ESR extract of 100,000 assignments is about 30 MB as CSV). Files are checked and imported
# in the background (people.import_jobs), kept meanwhile in STAFF_IMPORT_DIR, which web
# processes and workers must share. Unset or empty (as in .env.example): var/imports.
STAFF_IMPORT_MAX_BYTES = env_int("STAFF_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
STAFF_IMPORT_DIR = Path(env_str("STAFF_IMPORT_DIR") or VAR_DIR / "imports")
if STAFF_IMPORT_MAX_BYTES < 1:
    raise ImproperlyConfigured(f"STAFF_IMPORT_MAX_BYTES must be at least 1; got {STAFF_IMPORT_MAX_BYTES}.")

# Inclusion figures (/grid/inclusion/): counts and populations under INCLUSION_MIN_GROUP are
# suppressed; a group's potential gap is flagged below -INCLUSION_GAP_MARGIN of a box.
INCLUSION_MIN_GROUP = env_int("INCLUSION_MIN_GROUP", 5)
INCLUSION_GAP_MARGIN = float(env_str("INCLUSION_GAP_MARGIN", "0.3") or "0.3")

# Conversations: the booking form warns when less notice than this is given.
BOOKING_NOTICE_WORKING_DAYS = env_int("BOOKING_NOTICE_WORKING_DAYS", 10)
# Reminders go to both people this many days before a review is due, on the day, and
# weekly while it is overdue; an unanswered request is chased every this many working days.
REVIEW_REMINDER_DAYS_AHEAD = (14, 1)
NOMINATION_CHASE_WORKING_DAYS = 5
# Retention (talentapp/retention.py, `manage.py apply_retention`): leavers are anonymised this many
# years after they left; emails the file backend wrote are removed after this many days.
RETENTION_YEARS = env_int("RETENTION_YEARS", 6)
if RETENTION_YEARS < 1:
    raise ImproperlyConfigured(f"RETENTION_YEARS must be at least 1; got {RETENTION_YEARS}.")
# The access log (who read which confidential record) is kept this long, then removed by the
# daily retention run.
ACCESS_LOG_RETENTION_YEARS = env_int("ACCESS_LOG_RETENTION_YEARS", 2)
if ACCESS_LOG_RETENTION_YEARS < 1:
    raise ImproperlyConfigured(f"ACCESS_LOG_RETENTION_YEARS must be at least 1; got {ACCESS_LOG_RETENTION_YEARS}.")
EMAIL_FILE_RETENTION_DAYS = env_int("EMAIL_FILE_RETENTION_DAYS", 30)
if EMAIL_FILE_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(f"EMAIL_FILE_RETENTION_DAYS must be at least 1; got {EMAIL_FILE_RETENTION_DAYS}.")
# Beat runs the reminder scan every 15 minutes; a scan that could not start in time is dropped.
# It runs retention daily at 03:15 (Europe/London); a run not started within 6 hours is dropped.
CELERY_BEAT_SCHEDULE = {
    "reminder-scan": {
        "task": "conversations.tasks.notices_scan_task",
        "schedule": 15 * 60,
        "options": {"expires": 14 * 60},
    },
    # An export whose worker stopped (a restart) is queued again, or failed, within about 2 minutes.
    "export-recovery": {
        "task": "pdp.tasks.exports_recover_task",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # A staff check or import whose worker stopped is queued again, or failed, within about 11 minutes.
    "import-recovery": {
        "task": "people.tasks.import_jobs_recover_task",
        "schedule": 60,
        "options": {"expires": 55},
    },
    "retention": {
        "task": "talentapp.tasks.retention_apply_task",
        "schedule": crontab(hour=3, minute=15),
        "options": {"expires": 6 * 60 * 60},
    },
}

# --- Sign-in with the organisation's account (OpenID Connect) ------------------------------
# One self-contained block. Unset OIDC_ISSUER: password sign-in only. mozilla-django-oidc runs
# the flow; talentapp/oidc/ feeds it the provider's endpoints from discovery, checks the ID
# token's issuer and audience, and matches the person to their staff record.
# See docs/operations.md#signing-in-with-the-organisations-account.
OIDC_ISSUER = env_str("OIDC_ISSUER")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
# The claim that carries the staff number, e.g. employeeid; unset: match by verified email.
OIDC_STAFF_NUMBER_CLAIM = env_str("OIDC_STAFF_NUMBER_CLAIM")
OIDC_BUTTON_LABEL = env_str("OIDC_BUTTON_LABEL") or "Sign in with your organisation account"
# Off: the password sign-in form, password reset and password change answer 404.
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
if OIDC_ISSUER:
    if not OIDC_ISSUER.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"OIDC_ISSUER must start with https:// (or http:// locally); got {OIDC_ISSUER!r}.")
    if OIDC_ISSUER.startswith("http://") and not DEBUG:
        raise ImproperlyConfigured("OIDC_ISSUER must start with https:// when DEBUG is off.")
    for _name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"{_name} is required when OIDC_ISSUER is set.")
    # Signing out sends the sign-out form on to the provider's end-session page.
    _provider = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_provider.scheme}://{_provider.netloc}")
elif OIDC_CLIENT_ID or OIDC_CLIENT_SECRET:
    raise ImproperlyConfigured("OIDC_CLIENT_ID and OIDC_CLIENT_SECRET need OIDC_ISSUER, the provider's address.")
if not PASSWORD_LOGIN and not OIDC_ISSUER:
    raise ImproperlyConfigured("PASSWORD_LOGIN is off, so OIDC_ISSUER is required: nobody could sign in otherwise.")
# Added to whatever backends are set above (Django's default: ModelBackend); it takes part only
# in the OpenID Connect callback.
AUTHENTICATION_BACKENDS = [
    *AUTHENTICATION_BACKENDS,  # axes first (above)
    "talentapp.oidc.backend.StaffRecordBackend",
]
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # for id_token_hint when signing out at the provider
# (connect, read) seconds for every call to the provider: a provider that is down or hung gets
# its failure page within 5 seconds.
OIDC_TIMEOUT = (2, 3)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"
OIDC_OP_LOGOUT_URL_METHOD = "talentapp.oidc.views.provider_logout_url"
# How long a sign-in started here may take at the provider before its state expires.
OIDC_STATE_MAX_AGE = 15 * 60
# How long the provider's discovery document is kept (per process).
OIDC_DISCOVERY_CACHE_SECONDS = 60 * 60
