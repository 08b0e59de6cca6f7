"""Settings, read only from the environment (see DEVELOPERS.md for every variable)."""

from __future__ import annotations

import ipaddress
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wenmin.env import env_bool, env_choice, env_int, env_list, env_str

# The access roles' codes (wenmin.core.roles.Role), for checking WENMIN_REQUIRE_2FA.
_ROLES = (
    "administrator",
    "county_leader",
    "township_staff",
    "department_staff",
    "branch_secretary",
    "volunteer",
    "resident",
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("WENMIN_DATA_DIR", str(PROJECT_DIR / "var")))

WENMIN_ENV = env_choice("WENMIN_ENV", "development", ("development", "test", "production"))
PRODUCTION = WENMIN_ENV == "production"
DEBUG = env_bool("WENMIN_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("WENMIN_DEBUG must be false when WENMIN_ENV=production")


def _kept_secret(name: str, make: str) -> str:
    """A development secret made once and kept in DATA_DIR, so restarts keep sessions and data."""
    path = DATA_DIR / name
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    value = make
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def _fernet_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


SECRET_KEY = env_str("WENMIN_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("WENMIN_SECRET_KEY must be set when WENMIN_ENV=production")
    SECRET_KEY = _kept_secret("secret_key", secrets.token_urlsafe(50))
elif PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("WENMIN_SECRET_KEY must be at least 50 random characters")

# Keys for personal data at rest (Fernet); the first encrypts, all decrypt, so keys can rotate.
FIELD_ENCRYPTION_KEYS = env_list("WENMIN_FIELD_KEYS", [])
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("WENMIN_FIELD_KEYS must be set when WENMIN_ENV=production")
    FIELD_ENCRYPTION_KEYS = [_kept_secret("field_key", _fernet_key())]

# The key of the digests that find a phone or ID number without decrypting: separate from the
# encryption keys so that rotating those does not make every stored digest stale.
FIELD_DIGEST_KEY = env_str("WENMIN_DIGEST_KEY")
if not FIELD_DIGEST_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("WENMIN_DIGEST_KEY must be set when WENMIN_ENV=production")
    FIELD_DIGEST_KEY = _kept_secret("digest_key", secrets.token_urlsafe(32))

ALLOWED_HOSTS = env_list("WENMIN_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("WENMIN_ALLOWED_HOSTS must be set when WENMIN_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("WENMIN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "wenmin.core.apps.WenminAdminConfig",  # django.contrib.admin, administrator role only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "wenmin.core.apps_thirdparty.AxesConfig",  # django-axes, named in Chinese in the admin
    "django_tasks",
    "wenmin.core.apps_thirdparty.TasksDatabaseConfig",  # django-tasks' database backend, likewise
    "csp",
    "ninja",  # the API docs page serves Swagger UI from static files, not a CDN
    "wenmin.core",
    "wenmin.organisation",
    "wenmin.tallies",  # the daily counts of every source the scoreboard compares
    "wenmin.cases",
    "wenmin.channels",
    "wenmin.scoreboard",
    "django_otp",  # second factor (TOTP and recovery codes) for the roles WENMIN_REQUIRE_2FA names
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wenmin.privacy",
    "wenmin.backups",
    # The three asks (三问) and the residents' verified phones they rely on.
    "wenmin.residents",
    "wenmin.households",
    "wenmin.inquiry",
    "wenmin.councils",
    "wenmin.surveys",
    "wenmin.wechat",
    "wenmin.groups",
    "wenmin.messaging",
    "wenmin.volunteers",
    "wenmin.platforms",
    "wenmin.deeds",
    "wenmin.commerce",
    "wenmin.branchlife",
    "wenmin.projects",
    "wenmin.villages",
    "wenmin.insight",
    "wenmin.topics",
    "wenmin.points",
    "wenmin.frontline",  # 一线考察: cadres' dossiers, field inspections, lists, yearly reports
]

MIDDLEWARE = [
    # Outermost: one log line, a request id and the metrics for every answer, static files too.
    "wenmin.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, before anything reads a session
    # An unreachable database answers 503 with Retry-After before the session or account is read.
    "wenmin.core.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a second factor given
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wenmin.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    # The page asked for, for the access log; a second factor before anything else for the
    # roles that need one.
    "wenmin.privacy.middleware.PrivacyMiddleware",
]

ROOT_URLCONF = "wenmin.urls"
WSGI_APPLICATION = "wenmin.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "root"  # each role's own home (core.nav.landing_for)
CSRF_FAILURE_VIEW = "wenmin.core.views.csrf_failure"
LOGOUT_REDIRECT_URL = "login"

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
                "django.template.context_processors.i18n",
                "wenmin.core.context_processors.wenmin",
                "wenmin.privacy.context_processors.privacy",
            ],
        },
    },
]

# Databases: SQLite with zero configuration; DATABASE_URL selects PostgreSQL (pooled).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=0))
    if _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("WENMIN_DB_POOL", True):
        _db["OPTIONS"] = {
            **_db.get("OPTIONS", {}),
            "pool": {
                "min_size": env_int("WENMIN_DB_POOL_MIN", 1, minimum=0),
                "max_size": env_int("WENMIN_DB_POOL_MAX", 10, minimum=1),
                # How long a request waits for a connection: while the database is down, it
                # answers 503 after this, not after psycopg_pool's 30 s (gunicorn's timeout).
                "timeout": env_int("WENMIN_DB_POOL_TIMEOUT", 5, minimum=1),
            },
        }
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(env_str("WENMIN_SQLITE_PATH", str(DATA_DIR / "wenmin.sqlite3"))),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
                # failing with "database is locked" half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("WENMIN_SQLITE_TIMEOUT", 20, minimum=1),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
    if env_bool("WENMIN_TEST_SQLITE_FILE", False):
        # Tests of concurrent writers need two connections that really wait for each other,
        # which an in-memory database cannot give.
        DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-wenmin.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A read replica for the read-heavy pages (scoreboard, bulletins, exports): core.replica sends
# their reads there; every write, and every read inside a write's transaction, goes to default.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary) too")
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=0),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["wenmin.core.replica.ReplicaRouter"]

# The cache holds what every server must share: the rate limits' counters and the cached deadline
# overrides. REDIS_URL selects Redis. Without it, development and tests use local memory (one
# process), and production the database cache (the table `wenmin_cache`, made by `wenmin
# migrate`), shared by every server and worker on the database: never a per-process cache, which
# would count each server's requests apart and keep serving overrides another server changed.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("WENMIN_CACHE_PREFIX", "wenmin"),
        }
    }
elif PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wenmin_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}

# Passwords, logins and sessions.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted in the database, so every server counts them together.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("WENMIN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WENMIN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "wenmin.core.middleware.client_ip"

SESSION_COOKIE_AGE = env_int("WENMIN_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("WENMIN_SSL_REDIRECT", True)
# A load balancer or monitoring probe may speak plain HTTP to the application server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = env_int("WENMIN_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own files (no inline script or
# handler anywhere: wenmin/static/wenmin/app.js wires the behaviours), nothing from elsewhere.
# Inline styles stay allowed: style attributes (tree depth, chart sizes) and htmx's indicator.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Language and time: zh-hans first, English complete; store UTC, show Asia/Shanghai.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Our catalogue first; then the words of third-party apps that ship no zh-hans (admin pages).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_thirdparty"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("WENMIN_STATIC_ROOT", str(DATA_DIR / "static")))
# Static files are served by the application (WhiteNoise). In production from STATIC_ROOT as
# `collectstatic` wrote them: compressed (gzip) and named by their content, cached for ever;
# elsewhere straight from the apps' folders, so tests and `make dev` need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("WENMIN_MEDIA_ROOT", str(DATA_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("WENMIN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# The most rows one Excel import takes (a file is checked whole before its short write).
WENMIN_IMPORT_MAX_ROWS = env_int("WENMIN_IMPORT_MAX_ROWS", 200_000, minimum=1)

EMAIL_BACKEND = env_str("WENMIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# One JSON line per request (wenmin.core.requestlog): on by default in production.
WENMIN_REQUEST_LOG = env_bool("WENMIN_REQUEST_LOG", PRODUCTION)
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404…) is one line in the log; only a server error has a traceback.
    # An unreachable database is one line per outage (wenmin.database), not one per request.
    "filters": {
        "refusals": {"()": "wenmin.core.logs.RefusalsWithoutTraceback"},
        "outages": {"()": "wenmin.core.logs.DatabaseOutageWithoutTraceback"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
            "json_ensure_ascii": False,
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals", "outages"]},
        "requests": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env_str("WENMIN_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's refusals and errors through our console handler only (its own prints them
        # again when DEBUG is on, without our filters).
        "django.request": {"handlers": ["console"], "propagate": False},
        # The pool's line per failed connection attempt: wenmin.database says it once.
        "psycopg.pool": {"level": "ERROR"},
        "wenmin.request": {
            "handlers": ["requests"],
            "level": "INFO" if WENMIN_REQUEST_LOG else "WARNING",
            "propagate": False,
        },
    },
}

WENMIN_DEMO_PASSWORD = env_str("WENMIN_DEMO_PASSWORD", "wenmin-demo-2026")
# How many reverse proxies (nginx, a load balancer…) stand in front of Wenmin, each appending
# to X-Forwarded-For: the client address is taken from there (core.middleware.client_ip) for
# the audit log, the portal's limits and the login lock-out alike. 0: the socket's address.
WENMIN_TRUSTED_PROXIES = env_int("WENMIN_TRUSTED_PROXIES", 0, minimum=0)
if env_str("WENMIN_TRUST_X_FORWARDED_FOR"):
    raise ImproperlyConfigured(
        "WENMIN_TRUST_X_FORWARDED_FOR is replaced by WENMIN_TRUSTED_PROXIES, the number of "
        "reverse proxies in front of Wenmin (1 for one nginx)"
    )
# The unit that receives escalated cases (提级督办), by its code; empty: county-wide supervisors.
WENMIN_SUPERVISING_UNIT = env_str("WENMIN_SUPERVISING_UNIT", "")

# The map (topics): a tile service's URL template ({z}/{x}/{y}, {s} for a subdomain; e.g.
# 天地图's with its key), empty: the map is drawn from the county's own regions, offline. The
# datum the tiles expect: wgs84 (天地图's CGCS2000) or gcj02 (AMap, Tencent: points converted).
WENMIN_MAP_TILES = env_str("WENMIN_MAP_TILES", "")
WENMIN_MAP_TILES_SUBDOMAINS = env_str("WENMIN_MAP_TILES_SUBDOMAINS", "")
WENMIN_MAP_DATUM = env_choice("WENMIN_MAP_DATUM", "wgs84", ("wgs84", "gcj02"))
# How often the worker detects hotspots (topics), in hours.
WENMIN_TOPICS_DETECT_HOURS = env_int("WENMIN_TOPICS_DETECT_HOURS", 6, minimum=1, maximum=24 * 7)

# Background work and notifications (cases): which backends deliver, how often deadlines are swept.
WENMIN_NOTIFY_BACKENDS = env_list(
    "WENMIN_NOTIFY_BACKENDS", ["inapp"] if PRODUCTION else ["inapp", "sms", "wechat"]
)
if _unknown_backends := set(WENMIN_NOTIFY_BACKENDS) - {"email", "sms", "inapp", "wechat"}:
    raise ImproperlyConfigured(
        f"WENMIN_NOTIFY_BACKENDS: unknown {', '.join(sorted(_unknown_backends))} "
        "(use email, sms, inapp, wechat)"
    )
# The SMS gateway. Only a stub exists (it logs and sends nothing); production must say so.
WENMIN_SMS_GATEWAY = env_choice("WENMIN_SMS_GATEWAY", "" if PRODUCTION else "stub", ("", "stub"))
if PRODUCTION and "sms" in WENMIN_NOTIFY_BACKENDS and WENMIN_SMS_GATEWAY != "stub":
    raise ImproperlyConfigured(
        "WENMIN_NOTIFY_BACKENDS includes sms, but no SMS gateway is configured: the only one is "
        "a stub that sends nothing. Remove sms from WENMIN_NOTIFY_BACKENDS, or set "
        "WENMIN_SMS_GATEWAY=stub to accept that residents receive no text messages."
    )
# WeChat going out (wenmin.wechat.outbound, wenmin.messaging): "send" calls WeChat's API,
# "record" keeps what would have been sent in the log of WeChat messages and sends nothing (the
# development default). Production says which.
WENMIN_WECHAT_OUTBOUND = env_choice(
    "WENMIN_WECHAT_OUTBOUND", "" if PRODUCTION else "record", ("", "record", "send")
)
if PRODUCTION and "wechat" in WENMIN_NOTIFY_BACKENDS and not WENMIN_WECHAT_OUTBOUND:
    raise ImproperlyConfigured(
        "WENMIN_NOTIFY_BACKENDS includes wechat: set WENMIN_WECHAT_OUTBOUND=send to send "
        "residents WeChat messages, or =record to accept that they are only recorded."
    )
WENMIN_WECHAT_API_BASE = env_str("WENMIN_WECHAT_API_BASE", "https://api.weixin.qq.com")
WENMIN_WECHAT_API_TIMEOUT = env_int("WENMIN_WECHAT_API_TIMEOUT", 5, minimum=1, maximum=30)
# An SMS gateway's post older (or further in the future) than this many seconds is refused.
WENMIN_SMS_INBOUND_MAX_AGE = env_int("WENMIN_SMS_INBOUND_MAX_AGE", 300, minimum=30)
DEFAULT_FROM_EMAIL = env_str("WENMIN_FROM_EMAIL", "wenmin@localhost")
WENMIN_SWEEP_SECONDS = env_int("WENMIN_SWEEP_SECONDS", 300, minimum=10)
WENMIN_PORTAL_SUBMISSIONS_PER_HOUR = env_int("WENMIN_PORTAL_SUBMISSIONS_PER_HOUR", 10, minimum=1)
# The SMS stub logs at INFO what it would send (phones masked), so a developer sees it.
LOGGING["loggers"]["wenmin.notify"] = {"level": "INFO"}
WENMIN_PORTAL_RATINGS_PER_HOUR = env_int("WENMIN_PORTAL_RATINGS_PER_HOUR", 10, minimum=1)
# residents: how long a one-time code sent to prove a phone stays valid, in minutes.
WENMIN_RESIDENT_CODE_MINUTES = env_int("WENMIN_RESIDENT_CODE_MINUTES", 10, minimum=1, maximum=60)
WENMIN_MAILBOX_LETTERS_PER_HOUR = env_int(
    "WENMIN_MAILBOX_LETTERS_PER_HOUR", 5, minimum=1, maximum=1000
)
# platforms: ratings sent from one address in an hour through a centre's rating form (QR code).
WENMIN_PLATFORM_RATINGS_PER_HOUR = env_int(
    "WENMIN_PLATFORM_RATINGS_PER_HOUR", 10, minimum=1, maximum=1000
)
# The site's public address, for links sent by SMS (a resident's one-time rating link).
WENMIN_SITE_URL = env_str(
    "WENMIN_SITE_URL",
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")
if not WENMIN_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"WENMIN_SITE_URL={WENMIN_SITE_URL!r} must start with https://")

# Personal data's whole life (wenmin.privacy). Personal data of a closed case is kept this many
# years unless the administrator set a period for its kind (the admin's retention periods).
WENMIN_RETENTION_YEARS = env_int("WENMIN_RETENTION_YEARS", 3, minimum=1, maximum=30)
# The access log (who saw whose personal data in clear) is pruned after this many days. The
# Cybersecurity Law (art. 21) asks for network logs to be kept at least six months: below 183
# days the setting is refused.
ACCESS_LOG_MINIMUM_DAYS = 183
WENMIN_ACCESS_LOG_DAYS = env_int("WENMIN_ACCESS_LOG_DAYS", 365)
if WENMIN_ACCESS_LOG_DAYS < ACCESS_LOG_MINIMUM_DAYS:
    raise ImproperlyConfigured(
        f"WENMIN_ACCESS_LOG_DAYS={WENMIN_ACCESS_LOG_DAYS} is below {ACCESS_LOG_MINIMUM_DAYS}: "
        "the Cybersecurity Law (art. 21) asks for logs to be kept at least six months"
    )
# How often the worker runs the privacy sweep (retention and the access log's pruning).
WENMIN_PRIVACY_SWEEP_HOURS = env_int("WENMIN_PRIVACY_SWEEP_HOURS", 24, minimum=1)
# How often the worker retrains insight's suggestion model from the closed cases.
WENMIN_INSIGHT_TRAIN_HOURS = env_int("WENMIN_INSIGHT_TRAIN_HOURS", 24, minimum=1, maximum=24 * 31)
# The duplicate index's snapshot (insight/snapshot.py): files every process on the machine maps
# into memory, so that a lookup at a million cases takes a fraction of a millisecond instead of
# two SQL queries (bench/insight_duplicates.py part 4). The worker makes one once the index holds
# WENMIN_INSIGHT_SNAPSHOT_ROWS entries (80 a case; below it the SQL lookup takes a few ms) and
# again when as many as WENMIN_INSIGHT_SNAPSHOT_DELTA have been added since. Each process reads
# the entries added since its snapshot at most every WENMIN_INSIGHT_REFRESH_SECONDS (the newest
# cases are compared directly meanwhile, duplicates.unindexed_ids). A server that does not share
# the worker's data directory has no files: it uses the SQL lookup.
WENMIN_INSIGHT_SNAPSHOT_DIR = Path(
    env_str("WENMIN_INSIGHT_SNAPSHOT_DIR", str(DATA_DIR / "insight-bands"))
)
WENMIN_INSIGHT_SNAPSHOT_ROWS = env_int("WENMIN_INSIGHT_SNAPSHOT_ROWS", 800_000, minimum=0)
WENMIN_INSIGHT_SNAPSHOT_DELTA = env_int("WENMIN_INSIGHT_SNAPSHOT_DELTA", 80_000, minimum=1000)
WENMIN_INSIGHT_REFRESH_SECONDS = env_int("WENMIN_INSIGHT_REFRESH_SECONDS", 2, minimum=0)
# Branch meetings (wenmin.branchlife): how long the room's sign-in QR code and the online link for
# members working away stay good.
WENMIN_BRANCHLIFE_QR_SECONDS = env_int("WENMIN_BRANCHLIFE_QR_SECONDS", 300, minimum=30)
WENMIN_BRANCHLIFE_ONLINE_SECONDS = env_int(
    "WENMIN_BRANCHLIFE_ONLINE_SECONDS", 4 * 3600, minimum=300
)
# The roles that must give a second factor (TOTP) after their password, e.g.
# "administrator,county_leader". Empty (the default, and the demo): nobody must.
WENMIN_REQUIRE_2FA = env_list("WENMIN_REQUIRE_2FA", [])
if _unknown_roles := set(WENMIN_REQUIRE_2FA) - set(_ROLES):
    raise ImproperlyConfigured(
        f"WENMIN_REQUIRE_2FA: unknown roles {', '.join(sorted(_unknown_roles))} "
        f"(use {', '.join(_ROLES)})"
    )
OTP_TOTP_ISSUER = "问民 Wenmin"

# Metrics for operations (/metrics, Prometheus): open to these addresses or networks (the client
# address as WENMIN_TRUSTED_PROXIES finds it), or to anyone sending this bearer token.
WENMIN_METRICS_ALLOW = env_list("WENMIN_METRICS_ALLOW", ["127.0.0.1", "::1"])
try:
    WENMIN_METRICS_ALLOW_NETWORKS = [
        ipaddress.ip_network(item, strict=False) for item in WENMIN_METRICS_ALLOW
    ]
except ValueError as _error:
    raise ImproperlyConfigured(f"WENMIN_METRICS_ALLOW: {_error}") from None
WENMIN_METRICS_TOKEN = env_str("WENMIN_METRICS_TOKEN")
if WENMIN_METRICS_TOKEN and len(WENMIN_METRICS_TOKEN) < 24:
    raise ImproperlyConfigured("WENMIN_METRICS_TOKEN must be at least 24 random characters")

# WeChat official accounts: how far (seconds) a callback's timestamp may be from our clock before
# the request is refused as stale or replayed.
WENMIN_WECHAT_MAX_AGE = env_int("WENMIN_WECHAT_MAX_AGE", 300, minimum=10)

# Volunteers: star levels by cumulative confirmed hours (one to five stars), and how long the
# check-in QR code an organiser shows stays valid.
_star_hours = env_list("WENMIN_VOLUNTEER_STAR_HOURS", ["100", "300", "600", "1000", "1500"])
try:
    WENMIN_VOLUNTEER_STAR_HOURS = [int(hours) for hours in _star_hours]
except ValueError:
    raise ImproperlyConfigured(
        "WENMIN_VOLUNTEER_STAR_HOURS: whole hours, e.g. 100,300,600"
    ) from None
if (
    not WENMIN_VOLUNTEER_STAR_HOURS
    or WENMIN_VOLUNTEER_STAR_HOURS[0] <= 0
    or any(
        b <= a
        for a, b in zip(WENMIN_VOLUNTEER_STAR_HOURS, WENMIN_VOLUNTEER_STAR_HOURS[1:], strict=False)
    )
):
    raise ImproperlyConfigured("WENMIN_VOLUNTEER_STAR_HOURS: positive hours, each above the last")
WENMIN_VOLUNTEER_QR_SECONDS = env_int("WENMIN_VOLUNTEER_QR_SECONDS", 300, minimum=30, maximum=3600)
# Public-benefit projects (惠民工程): a project whose plan expects more than this many percentage
# points more than is done is behind; the supervision order comes this many working days after
# the reminder, and gives this many working days to be back on plan.
WENMIN_PROJECTS_BEHIND_MARGIN = env_int("WENMIN_PROJECTS_BEHIND_MARGIN", 10, minimum=1, maximum=100)
WENMIN_PROJECTS_ORDER_AFTER_DAYS = env_int(
    "WENMIN_PROJECTS_ORDER_AFTER_DAYS", 5, minimum=1, maximum=250
)
WENMIN_PROJECTS_ORDER_DAYS = env_int("WENMIN_PROJECTS_ORDER_DAYS", 10, minimum=1, maximum=250)
