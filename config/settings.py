"""Settings for both run modes; only the environment differs.

RUN_MODE=embedded (default): SQLite file, Celery on a filesystem broker, console e-mail.
RUN_MODE=production: DATABASE_URL, CELERY_BROKER_URL and SECRET_KEY are required, DEBUG is off.
DEBUG is off by default in both modes (no debug pages for whoever opens the embedded run); DEBUG=1 turns it on in
embedded mode only, for a developer.
"""

import base64
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

RUN_MODE = env_choice("RUN_MODE", ["embedded", "production"], "embedded")
PRODUCTION = RUN_MODE == "production"

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when RUN_MODE=production.")


def _dev_secret_key():
    """Return a per-checkout key kept in var/, generated on first use and never committed."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") if PRODUCTION else env_str("SECRET_KEY", None) or _dev_secret_key()
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")


def _anchor_keys():
    """AUDIT_ANCHOR_KEYS="id1:secret1,id2:secret2" (kept outside the database); embedded runs get a generated one."""
    keys = {}
    for item in env_list("AUDIT_ANCHOR_KEYS", []):
        key_id, sep, secret = item.partition(":")
        if not sep or not key_id.strip() or len(secret.strip()) < 32:
            raise ImproperlyConfigured(
                "AUDIT_ANCHOR_KEYS must be id:secret pairs, each secret at least 32 characters."
            )
        keys[key_id.strip()] = secret.strip()
    if keys or PRODUCTION:
        return keys
    path = VAR_DIR / "audit_anchor_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
    return {"dev": path.read_text().strip()}


# Audit anchors (audit/anchor.py, docs/security.md): the chain heads signed with HMAC under AUDIT_ANCHOR_KEY_ID
# (default: the last key listed), written every AUDIT_ANCHOR_MINUTES to AUDIT_ANCHOR_DIR. Rotation: list the new key
# last (or name it in AUDIT_ANCHOR_KEY_ID) and keep the old ones listed while their anchors should stay checkable.
AUDIT_ANCHOR_KEYS = _anchor_keys()
AUDIT_ANCHOR_KEY_ID = env_str("AUDIT_ANCHOR_KEY_ID", None) or (
    list(AUDIT_ANCHOR_KEYS)[-1] if AUDIT_ANCHOR_KEYS else ""
)
if AUDIT_ANCHOR_KEY_ID and AUDIT_ANCHOR_KEY_ID not in AUDIT_ANCHOR_KEYS:
    raise ImproperlyConfigured(f"AUDIT_ANCHOR_KEY_ID={AUDIT_ANCHOR_KEY_ID!r} is not among AUDIT_ANCHOR_KEYS.")
AUDIT_ANCHOR_DIR = env_str("AUDIT_ANCHOR_DIR", str(VAR_DIR / "audit-anchors"))
AUDIT_ANCHOR_MINUTES = env_int("AUDIT_ANCHOR_MINUTES", 60, minimum=5)


def _signer_secret_keys():
    """SIGNER_SECRET_KEYS="<newest Fernet key>,<older>..." (kept outside the database): they encrypt the passphrases
    of the signers' PKCS#12 files at rest (approvals/fields.py). Embedded runs get a generated one."""
    keys = env_list("SIGNER_SECRET_KEYS", [])
    for key in keys:
        try:
            if len(base64.urlsafe_b64decode(key.encode())) != 32:
                raise ValueError
        except ValueError:
            raise ImproperlyConfigured(
                "SIGNER_SECRET_KEYS must be Fernet keys (32 bytes, URL-safe base64), newest first."
            ) from None
    if keys or PRODUCTION:
        return keys
    path = VAR_DIR / "signer_secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return [path.read_text().strip()]


# The signers' key passphrases are stored encrypted (Fernet) under the first key; older keys stay listed while
# values encrypted under them remain (`manage.py signer_secrets_rotate` re-encrypts them under the first).
SIGNER_SECRET_KEYS = _signer_secret_keys()


ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when RUN_MODE=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.staticfiles.StaticFilesConfig",  # django.contrib.staticfiles without unused vendored bundles
    "django.contrib.humanize",
    "csp",
    "django_filters",
    "guardian",
    # Before rest_framework: api/locale translates DRF's built-in messages into Vietnamese.
    "api",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "viewflow",
    "viewflow.workflow",
    "audit",
    "organisation",
    "nominations",
    "approvals",
    "workflows",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.SessionAbsoluteTimeoutMiddleware",
    "audit.middleware.RequestOriginMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "web.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite file by default, DATABASE_URL (PostgreSQL) in production.
DATABASE_URL = env_str("DATABASE_URL", None)
if PRODUCTION and not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL is required when RUN_MODE=production.")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}")
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Parameters bound on the server, so psycopg prepares a statement its connection has run
        # DB_PREPARE_THRESHOLD times and PostgreSQL stops planning it again; bench/route.py on this machine: +23 %
        # transitions/s and −10 % client CPU (BENCHMARKS.md §12). Behind a PgBouncer older than 1.21 in transaction
        # mode, set DB_PREPARE_THRESHOLD=0 (never prepare: a prepared statement lives on one server connection).
        threshold = env_int("DB_PREPARE_THRESHOLD", 5, minimum=0)
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=env_bool("DB_SERVER_SIDE_BINDING", True),
            prepare_threshold=threshold or None,
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "nominations:home"
LOGOUT_REDIRECT_URL = "login"

# Reverse proxies in front of Django that append to X-Forwarded-For (0: clients connect directly). One number drives
# the client address of the lockout, the API throttles and the audit events (audit.context.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Lockout after repeated failed logins (django-axes). Lock the username, never a whole address: behind a proxy or a
# provincial office NAT many users share one address. The username+address pair is listed too (axes.W006 asks for
# the address); a username's own count always trips first, and a success resets only that username's records.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=0) or None
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# A success resets only the attempts matching the lockout parameters, i.e. the user who logged in.
AXES_RESET_ON_SUCCESS = True
# Failures during a lockout do not restart the cool-off hour.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client address comes from TRUSTED_PROXY_COUNT through one function; it takes precedence over axes's
# django-ipware settings (AXES_IPWARE_*), and django-ipware is not installed.
AXES_CLIENT_IP_CALLABLE = "audit.context.client_address"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media-not-served/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "config.staticfiles.StaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
STATIC_BROTLI = env_bool("STATIC_BROTLI", False)  # config/staticfiles.py: gzip only unless set

# Uploads: dossier files are checked for type, size and name (nominations.uploads).
DOSSIER_MAX_BYTES = env_int("DOSSIER_MAX_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: console in the embedded mode.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "thidua@localhost")

# Celery: a real worker and beat in both modes; the embedded broker needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", None)
if PRODUCTION and not CELERY_BROKER_URL:
    raise ImproperlyConfigured("CELERY_BROKER_URL is required when RUN_MODE=production.")


def filesystem_broker_options(var_dir):
    """Return the transport options of the embedded broker kept in var_dir/celery-broker, making its folders."""
    broker_dir = Path(var_dir) / "celery-broker"
    for sub in ("queue", "processed", "control"):
        (broker_dir / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "processed_folder": str(broker_dir / "processed"),
        # Remote control (ping for /health/) uses fanout exchanges; kombu's default folder is ./control.
        "control_folder": str(broker_dir / "control"),
        "store_processed": False,
    }


if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR)
else:
    # Unacknowledged tasks (acks_late) of a lost worker are redelivered after this many seconds.
    # A worker looks for such tasks every interval × throttle seconds (kombu's defaults: 10 × 10), and once at start.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
        "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10, minimum=1),
        "unacked_restore_throttle": env_int("CELERY_RESTORE_THROTTLE", 10, minimum=1),
        # Only one worker restores at a time, under a lock in Redis; a worker killed while holding it leaves it
        # for this many seconds (kombu's default: 300), during which no lost task comes back.
        "unacked_mutex_expire": env_int("CELERY_RESTORE_MUTEX_EXPIRE", 300, minimum=1),
    }
# Exactly one beat (docs/deployment.md): on a Redis broker the schedule lives in Redis under a lock (celery-redbeat),
# so a second beat started by mistake waits for the lock and sends nothing; it takes over when the first stops
# (at once on a clean stop; after CELERY_REDBEAT_LOCK_TIMEOUT seconds if the first was killed).
BEAT_LOCKED = CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
if BEAT_LOCKED:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = env_str("CELERY_REDBEAT_REDIS_URL", CELERY_BROKER_URL)
    CELERY_REDBEAT_KEY_PREFIX = env_str("CELERY_REDBEAT_KEY_PREFIX", "thidua:redbeat")
    CELERY_BEAT_MAX_INTERVAL = env_int("CELERY_BEAT_MAX_INTERVAL", 30, minimum=1)
    CELERY_REDBEAT_LOCK_TIMEOUT = env_int(
        "CELERY_REDBEAT_LOCK_TIMEOUT", 5 * CELERY_BEAT_MAX_INTERVAL, minimum=CELERY_BEAT_MAX_INTERVAL + 1
    )
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process grown past this after a task is replaced by a fresh one (Celery counts KB): rendering a decision
# of 500 peaks at ~215 MB, and WeasyPrint's caches and the allocator's fragments grew one process to 251 MB over 13
# such decisions (bench/peak.py, BENCHMARKS.md §12).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("WORKER_MAX_MEMORY_MB", 200, minimum=64) * 1024
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
DEADLINE_SCAN_SECONDS = env_int("DEADLINE_SCAN_SECONDS", 60, minimum=5)
# Reminders N working days before a task's due date (and on the day); escalation the working day after.
try:
    REMINDER_OFFSETS = [int(n) for n in env_list("REMINDER_OFFSETS", ["3", "1"])]
except ValueError:
    raise ImproperlyConfigured("REMINDER_OFFSETS must be a comma-separated list of working days, e.g. 3,1.")
DIGEST_HOUR = env_int("DIGEST_HOUR", 7, minimum=0)
# A file held while its filing form is corrected (nominations.PendingUpload) is deleted after this many hours.
PENDING_UPLOAD_HOURS = env_int("PENDING_UPLOAD_HOURS", 24, minimum=1)
# Documents and e-mails whose task was lost (the filesystem broker cannot redeliver) are re-enqueued by a sweep.
REDELIVERY_SWEEP_SECONDS = env_int("REDELIVERY_SWEEP_SECONDS", 300, minimum=10)
REDELIVERY_GRACE_SECONDS = env_int("REDELIVERY_GRACE_SECONDS", 600, minimum=0)
CELERY_BEAT_SCHEDULE = {
    "deadlines-scan": {"task": "workflows.deadlines_scan", "schedule": float(DEADLINE_SCAN_SECONDS)},
    "notifications-digest": {
        "task": "workflows.notifications_digest",
        "schedule": crontab(minute=0, hour=DIGEST_HOUR),
    },
    "redelivery-sweep": {"task": "workflows.redelivery_sweep", "schedule": float(REDELIVERY_SWEEP_SECONDS)},
    "audit-anchor": {"task": "workflows.audit_anchor", "schedule": float(AUDIT_ANCHOR_MINUTES * 60)},
    "pending-uploads-purge": {"task": "workflows.pending_uploads_purge", "schedule": 3600.0},
}
# Tests only: seconds the document task sleeps before rendering, so a test can kill the worker mid-task.
DOCUMENTS_RENDER_DELAY = env_int("DOCUMENTS_RENDER_DELAY", 0, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_THROTTLE", "10/min")},
    # Never None: None makes DRF's get_ident trust a client-supplied X-Forwarded-For (one bucket per forged value).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # JSON with a size and nesting cap (api.parsers); forms and uploads are bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# Public feedback on posted lists (approvals.services.feedback_receive): at most this many per address and per
# posting within the window; the web form adds a signed arithmetic challenge and a honeypot (web.forms).
FEEDBACK_WINDOW_MINUTES = env_int("FEEDBACK_WINDOW_MINUTES", 60, minimum=1)
FEEDBACK_LIMIT_PER_ADDRESS = env_int("FEEDBACK_LIMIT_PER_ADDRESS", 5, minimum=1)
FEEDBACK_LIMIT_PER_POSTING = env_int("FEEDBACK_LIMIT_PER_POSTING", 30, minimum=1)
FEEDBACK_CHALLENGE_MIN_SECONDS = env_int("FEEDBACK_CHALLENGE_MIN_SECONDS", 3, minimum=0)
FEEDBACK_CHALLENGE_MAX_SECONDS = env_int("FEEDBACK_CHALLENGE_MAX_SECONDS", 2 * 3600, minimum=60)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024, minimum=1024)
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 32, minimum=4)
# API tokens (django-rest-knox): a new token per sign-in, stored as a digest, expiring API_TOKEN_TTL_HOURS after
# issue; ended by /api/v1/auth/logout/, /logout-all/, a password change or a role revocation (api.receivers).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 10, minimum=1)),
    "TOKEN_LIMIT_PER_USER": None,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Thi đua – Khen thưởng API",
    "DESCRIPTION": "Integration API of the award nomination and approval engine.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the pinned drf-spectacular-sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SubjectTypeEnum": "nominations.models.SubjectType",
        "AwardKindEnum": "nominations.models.AwardKind",
        "DossierKindEnum": "nominations.models.DossierKind",
        "RouteEnum": "nominations.models.Route",
        "FilingRouteEnum": "api.serializers.FILING_ROUTES",
        "StepEnum": "nominations.process.Step",
        "ActionEnum": "nominations.process.Action",
        "TaskActionEnum": "api.serializers.TASK_ACTIONS",
        "TaskBatchActionEnum": "api.serializers.BATCH_ACTIONS",
        "StatusEnum": "nominations.models.Status",
        "MeetingStatusEnum": "approvals.models.MeetingStatus",
        "TargetKindEnum": "nominations.models.TargetKind",
    },
}

VIEWFLOW = {"AUTOREGISTER": False}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("CACHE_URL", None):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL"),
        }
    }

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: the session cookie and the stored session expire SESSION_IDLE_MINUTES after the last request (every
# request pushes the expiry forward). Absolute timeout: config.middleware logs out SESSION_ABSOLUTE_HOURS after the
# login, however active the session.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)

# Content-Security-Policy (django-csp 4): everything from this origin, no inline or eval'd script. Styles allow
# 'unsafe-inline' because the templates carry style attributes (some computed, e.g. the dashboard bars); scripts
# never do. The Redoc page (drf-spectacular's template has an inline boot script) relaxes script-src for itself
# only, in api/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Product settings.
PROVINCE_NAME = env_str("PROVINCE_NAME", "Bến Tre")
