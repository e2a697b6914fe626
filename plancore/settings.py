"""Settings for the Action Plan Portal, read from the environment in this one place.

With no environment at all a fresh clone runs: SQLite in the checkout, Celery tasks run
in-process, mail printed to the console. Production sets the variables listed in the README.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# The fallback is for development and tests only; `manage.py check --deploy` flags it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-key-for-local-use-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so that the admin edits each translated field in every language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's own widget templates, for the project's form renderer (FORM_RENDERER below).
    "django.forms",
    "simple_history",
    "django_celery_beat",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "plancore",
    "partners",
    "actions",
    "reporting",
    "accounts",
    "notifications",
    "inbox",
    "spreadsheets",
    "amendments",
    "assessments",
    "meetings",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "plancore.request_limits.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "notifications.language.saved_language_middleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "plancore.sessions.SessionRenewalMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plancore.urls"
WSGI_APPLICATION = "plancore.wsgi.application"
ASGI_APPLICATION = "plancore.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{% url %}` with its addresses kept between requests (plancore/addresses.py).
            "builtins": ["plancore.templatetags.addresses"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Forms draw their fields through templates/forms/ (labels without a trailing colon, errors and
# help tied to the field); the widgets keep Django's templates.
FORM_RENDERER = "plancore.rendering.PortalFormRenderer"
# A filter left empty reads "Any", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "plancore.backends.PlanAdministratorBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed sign-ins lock the account name, and separately the address, for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful sign-in clears that account's own failures, never those of other accounts tried
# from the same address (plancore/lockout.py).
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "plancore.lockout.AccountLockoutHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies of our own in front of the portal (nginx: 1); the address lockout reads the client's
# address from X-Forwarded-For behind them (plancore/lockout.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "plancore.lockout.client_address"
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False

# A second factor (an authenticator app's code, or a recovery code) is open to everyone, needed
# for the administration site, and required of the roles named here (Membership.Role values;
# superusers count as administrators). Empty: nobody is required to use one.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "administrator")
OTP_TOTP_ISSUER = "Action Plan Portal"
# Each wrong code doubles the wait before the next attempt (1, 2, 4… seconds).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin lists people's authenticator apps (to delete the app of someone who lost their
# phone) but never shows a key or a recovery code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("da", _("Danish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers as each language writes them (plancore/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["plancore.formats"]
# The languages the plan's content is kept in (the */translation.py modules name the fields):
# English, the signed text, and Spanish. Any other interface language reads the English text; a
# text missing in one of the two is read in the other, and the pages mark it as such.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "en": ("es",)}
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Redis: the Celery broker and result backend, and the shared cache. Without it, tasks run
# in-process (eagerly) and the cache is per process, so the demo needs no other service.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Nothing reads task results: the Report rows say how builds went.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# In-process tasks fail as a worker's would: the Report row records the failure, the page answers.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message not acknowledged within this time (a worker that vanished) is delivered again.
    "visibility_timeout": 1800,
    # A request that hands work to a broker that is down fails at once (one attempt, a short
    # connect timeout) instead of holding a web worker through redis-py's backoff; the report
    # stays queued and the sweep sends it later. Workers reconnect with their own retries.
    "max_retries": 0,
    "socket_connect_timeout": float(os.environ.get("BROKER_CONNECT_TIMEOUT", "0.5")),
    # Every key the broker writes starts with this, so that one Redis can serve several
    # portals (or test runs) side by side.
    "global_keyprefix": os.environ.get("BROKER_KEY_PREFIX", ""),
}
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("BROKER_CONNECT_TIMEOUT", "0.5"))

# A report build running longer than this is taken as stuck, marked failed and can be retried.
REPORT_BUILD_TIME_LIMIT = int(os.environ.get("REPORT_BUILD_TIME_LIMIT", str(15 * 60)))
# A build records a heartbeat this often; one silent for REPORT_HEARTBEAT_TIMEOUT seconds lost
# its worker, and the sweep queues it again, up to REPORT_BUILD_ATTEMPTS builds in all.
REPORT_HEARTBEAT_SECONDS = float(os.environ.get("REPORT_HEARTBEAT_SECONDS", "10"))
REPORT_HEARTBEAT_TIMEOUT = int(os.environ.get("REPORT_HEARTBEAT_TIMEOUT", "60"))
REPORT_BUILD_ATTEMPTS = int(os.environ.get("REPORT_BUILD_ATTEMPTS", "3"))
# Reports are laid out in parts by this many processes per build (0: one per core this process
# may use), once they hold more than REPORT_PARTS_ABOVE_LINES lines (an action is about 10);
# a layout process that grew past REPORT_LAYOUT_RECYCLE_MB is replaced after its part, and one
# idle for REPORT_LAYOUT_IDLE_SECONDS is stopped.
REPORT_LAYOUT_PROCESSES = int(os.environ.get("REPORT_LAYOUT_PROCESSES", "0"))
REPORT_PARTS_ABOVE_LINES = int(os.environ.get("REPORT_PARTS_ABOVE_LINES", "1000"))
REPORT_LAYOUT_RECYCLE_MB = int(os.environ.get("REPORT_LAYOUT_RECYCLE_MB", "300"))
REPORT_LAYOUT_IDLE_SECONDS = float(os.environ.get("REPORT_LAYOUT_IDLE_SECONDS", "300"))
CELERY_TASK_TIME_LIMIT = REPORT_BUILD_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = REPORT_BUILD_TIME_LIMIT - 30
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Action Plan Portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Portal administrators", a) for a in env_list("ADMIN_EMAILS")]

# Notifications and reminders (notifications/): links in e-mails start with PORTAL_URL; events
# older than NOTIFY_EVENTS_WITHIN_HOURS (or from before the first run) are never announced; an
# unsubscribe link works for NOTIFY_UNSUBSCRIBE_DAYS.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
NOTIFY_EVENTS_WITHIN_HOURS = int(os.environ.get("NOTIFY_EVENTS_WITHIN_HOURS", "48"))
NOTIFY_UNSUBSCRIBE_DAYS = int(os.environ.get("NOTIFY_UNSUBSCRIBE_DAYS", "365"))

# Behind TLS in production; every one of these is off by default for the local demo.
SECURE_SSL_REDIRECT = env_bool(
    "SECURE_SSL_REDIRECT", default=not DEBUG and bool(os.environ.get("SECRET_KEY"))
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# Cookies only over TLS, also where a proxy in front does the redirect to https.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(
    "SECURE_COOKIES", default=not DEBUG and bool(os.environ.get("SECRET_KEY"))
)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL_REDIRECT else "0")
)
# Subdomains and the browsers' preload list bind every host of the domain for years: they are
# the domain owner's decision, so they are sent only when these settings ask for them (and
# `check --deploy` is not asked to insist on them).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the portal's own files run or style its pages: no inline script, no inline style, no
# other origin (the portal must work on a closed network anyway).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The one style attribute of a third-party page (simple_history's paginator on the
        # admin's history pages, "border-top: 0"), allowed by its hash and nothing else.
        "style-src-attr": [UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Browser features the portal never uses are switched off for its pages.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SESSION_COOKIE_HTTPONLY = True
# A session ends after this many seconds without a request. Requests renew it, at most once
# every SESSION_RENEW_SECONDS (plancore/sessions.py), rather than writing it on every page.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Evidence attached to progress updates.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Request bodies are refused past these sizes before anything reads them: views that take files
# (marked with plancore.request_limits.accepts_uploads, and the administration site) get room
# for one evidence file and the form around it; every other view far less.
# Spreadsheets uploaded to update actions and milestones in bulk (spreadsheets/reading.py).
SPREADSHEET_MAX_BYTES = int(os.environ.get("SPREADSHEET_MAX_BYTES", str(5 * 1024 * 1024)))
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("SPREADSHEET_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", "5000"))
# From this many changed rows on, a confirmed import is saved by a Celery task.
SPREADSHEET_TASK_ROWS = int(os.environ.get("SPREADSHEET_TASK_ROWS", "1000"))
UPLOAD_REQUEST_MAX_BYTES = int(
    os.environ.get("UPLOAD_REQUEST_MAX_BYTES", str(EVIDENCE_MAX_BYTES + 2 * 1024 * 1024))
)
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", str(256 * 1024)))
EVIDENCE_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "png", "jpg", "jpeg", "csv"]
# Office documents are zip archives: what one may expand to when opened, and how many parts.
EVIDENCE_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("EVIDENCE_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
EVIDENCE_MAX_ARCHIVE_MEMBERS = 2000

# Files that loadplan reads: the plan and its partners as stated in the signed documents.
PLAN_FIXTURES_DIR = BASE_DIR / "fixtures"

# Every record is printed once, by the root logger's console handler. Django's own "django"
# logger would print it a second time with DEBUG on (its default console handler), so here it
# only mails server errors to ADMINS (with DEBUG off) and hands everything on to the root.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The API (api/): personal tokens or the browser's session (with CSRF), JSON only, pages by
# cursor, a rate per token per hour (API_RATE, e.g. "1000/hour").
API_RATE = os.environ.get("API_RATE", "1000/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.UsesPortal"],
    "DEFAULT_THROTTLE_CLASSES": ["api.handling.TokenRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.handling.ById",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.handling.handle_exception",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Action Plan Portal API",
    "DESCRIPTION": "The Denmark–Mexico Joint Strategic Action Plan 2023–2027: read and update it.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # Swagger UI from the portal's own static files (no CDN), started by a file, not inline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InstitutionKindEnum": "partners.models.Institution.Kind",
        "AgreementKindEnum": "partners.models.Agreement.Kind",
        "ReportKindEnum": "reporting.models.Report.Kind",
    },
}
