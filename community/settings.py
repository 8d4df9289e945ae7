"""Settings for the health community, read from the environment (12-factor).

The defaults give the embedded site: SQLite, the in-memory channel layer, a local-memory cache and
console email. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0
(see README, "Production").
"""

import os
from pathlib import Path

import dj_database_url

from community.object_storage.config import storages_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The embedded default key is only for a local DEBUG site; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-set-SECRET_KEY-in-production"
if not DEBUG and SECRET_KEY.startswith("dev-only"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG=0.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# What the site calls itself and where it lives: page titles, emails (ours and allauth's, through the Site
# row kept in step by accounts.apps) and the links in them. `make run PORT=8141` moves SITE_URL along.
SITE_NAME = os.environ.get("SITE_NAME", "Health Community")
PORT = os.environ.get("PORT", "8000")
SITE_URL = (os.environ.get("SITE_URL") or f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "daphne",  # first, so `runserver` serves ASGI (HTTP + WebSocket)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",  # its templates render sitemap.xml (forum.discovery)
    "django.contrib.postgres",
    "channels",
    "django_htmx",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "community.audit",
    "community.notifications",
    "community.mail",
    "accounts",
    "forum",
    "forum.discovery",  # sitemaps, feeds, page metadata, manifest (its template tags need an app)
]

MIDDLEWARE = [
    "community.timing.ServerTimingMiddleware",  # first: Server-Timing and /metrics cover everything below
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "community.security.SecurityHeadersMiddleware",
    "accounts.mfa.PowersNeedMFAMiddleware",
]

ROOT_URLCONF = "community.urls"
WSGI_APPLICATION = "community.wsgi.application"
ASGI_APPLICATION = "community.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} that remembers URLs reversed from constants (community/template_urls.py).
            "builtins": ["community.template_urls"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.community",
                # Last: while a page is rendered for the anonymous page cache, the CSRF token is a
                # placeholder that each response replaces with the visitor's own (community.page_cache).
                "community.page_cache.csrf_context",
            ],
        },
    },
]

# --- Database: DATABASE_URL selects PostgreSQL; the embedded default is SQLite.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the ASGI server and a background writer share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES and env_bool("DATABASE_POOL", True):
    # Under ASGI (daphne) every request runs in a thread of its own, and Django's persistent connections
    # belong to a thread: none was ever reused. Each request opened a new PostgreSQL connection (~5 ms) and
    # left it open until its thread was collected, so 50 concurrent votes hit "too many clients"
    # (bench/RESULTS.md). A pool per server process, shared by its threads, fixes both (psycopg-pool).
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections instead
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "10")),  # per process; requests queue beyond
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: REDIS_URL selects channels-redis and a Redis cache; else in-memory and local memory.
# Both tolerate a Redis outage: the cache degrades to misses, live updates pause and catch up afterwards
# (README, "Live updates"). Live events also go to a bounded per-stream backlog (Redis Streams, or an
# in-process deque without Redis) so reconnecting browsers can replay what they missed.
REDIS_URL = os.environ.get("REDIS_URL", "")
if os.environ.get("PYTEST_XDIST_WORKER") and not os.environ.get("HC_TEST_WORKER_ISOLATED"):
    # Parallel test workers (`make test` runs one per core) each get a Redis database and a channel prefix of
    # their own, as each gets a test database of its own: one worker's cache.clear() or rate-limit counts
    # never reach another's, and Redis pub/sub channels (which span its databases) never cross. Written back
    # to the environment, so the servers and workers a test starts use the same ones.
    from urllib.parse import urlsplit, urlunsplit

    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    if REDIS_URL:
        _url = urlsplit(REDIS_URL)
        REDIS_URL = urlunsplit(_url._replace(path=f"/{int(_url.path.strip('/') or 0) + 1 + _worker}"))
        os.environ["REDIS_URL"] = REDIS_URL
    os.environ.setdefault("CHANNEL_PREFIX", f"hc{_worker}")
    os.environ["HC_TEST_WORKER_ISOLATED"] = "1"
CHANNEL_PREFIX = os.environ.get("CHANNEL_PREFIX", "hc")
LIVE_BACKLOG_SIZE = int(os.environ.get("LIVE_BACKLOG_SIZE", "500"))  # events kept per stream for replay
LIVE_BACKLOG_TTL = int(os.environ.get("LIVE_BACKLOG_TTL", str(7 * 24 * 3600)))  # idle streams expire
if REDIS_URL:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    # One immediate retry on a new connection: after a Redis restart, pooled connections are stale.
    REDIS_RETRY_ON = [RedisConnectionError, RedisTimeoutError]
    CACHES = {
        "default": {
            "BACKEND": "community.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hc"),
            "TIMEOUT": 300,
            # Short timeouts so a Redis outage slows a request by milliseconds, not seconds.
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry_on_error": REDIS_RETRY_ON,
            },
        }
    }
    # Sessions read from Redis (written to the database too, which stays the record): one query less on
    # every member's request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: one PUBLISH per group_send whatever the group size (measured: bench/channel_layer.py).
            "BACKEND": "community.live.channel_layer.ResilientRedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_connect_timeout": 0.5,
                        "socket_timeout": 2,
                        "retry_on_error": REDIS_RETRY_ON,
                    }
                ],
                "prefix": CHANNEL_PREFIX,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Not the default 300 entries: a 300-answer question's shared answer copies alone are 300, and a
            # full cache culls a third of itself, so its page was re-rendered whole (bench/page_timing.py).
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background work (community/celery.py; README "Background work"): Celery on the Redis broker. Without
# REDIS_URL, tasks run in this process after the commit, on a background thread: no worker to start.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True  # results are not needed: tasks write what they did to the database
CELERY_RESULT_BACKEND = None
# A task's message is acknowledged only once it finished; a worker that dies mid-task (even kill -9) leaves
# it unacknowledged, and Redis gives it to another worker after the visibility timeout. The tasks' own
# records (community.mail's outbox) make that second run send nothing twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a slow email holds one message, not a batch others could run
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for abandoned messages every tenth of the timeout (at most every 10 s), not kombu's 100 s.
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
# A request that enqueues while Redis is down gives up quickly; the outbox sweep sends the email later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep LOGGING (no personal data in logs)
CELERY_WORKER_REDIRECT_STDOUTS = False  # the console email backend prints mail as under runserver
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Expert verifications ending within 30 days: one notice each (idempotent; accounts.tasks).
    "notify-expiring-experts": {"task": "accounts.tasks.notify_expiring_experts", "schedule": 24 * 3600},
    # Emails whose enqueue was lost (broker down at commit) or whose retries ran out are tried again.
    "send-pending-emails": {"task": "community.mail.tasks.send_pending_emails", "schedule": 5 * 60},
    # Sent outbox rows are kept a week (idempotency and support), then deleted.
    "purge-sent-emails": {"task": "community.mail.tasks.purge_sent_emails", "schedule": 24 * 3600},
    "clear-expired-sessions": {"task": "accounts.tasks.clear_expired_sessions", "schedule": 24 * 3600},
    # Experts who chose a daily summary get one email of the day's new questions (idempotent per day).
    "expert-daily-summaries": {"task": "forum.alerts.tasks.send_daily_summaries", "schedule": 24 * 3600},
}
# Task modules outside an app's tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["forum.alerts.tasks"]
# Tests only: run in-process tasks inline at the commit instead of on the task thread.
TASKS_IN_PROCESS_INLINE = False
# How long one worker holds an email it is sending before another may take it over (longer than
# EMAIL_TIMEOUT), how long sent rows are kept, and when /healthz calls the queue stalled.
MAIL_OUTBOX_LEASE_SECONDS = int(os.environ.get("MAIL_OUTBOX_LEASE_SECONDS", "120"))
MAIL_OUTBOX_KEEP_DAYS = int(os.environ.get("MAIL_OUTBOX_KEEP_DAYS", "7"))
MAIL_RETRY_BACKOFF_SECONDS = int(os.environ.get("MAIL_RETRY_BACKOFF_SECONDS", "30"))
TASK_QUEUE_STALLED_SECONDS = int(os.environ.get("TASK_QUEUE_STALLED_SECONDS", "300"))

# --- Auth: django-allauth for every account flow; email is the login.
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, each loading the member with their expert credential and their
# permissions with one query (accounts.backends).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
# Our form adds the display name; allauth's own sign-up form supplies email and passwords around it.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
}
# None: allauth prefixes "[<Site name>] ", the Site row that follows SITE_NAME (community.site).
ACCOUNT_EMAIL_SUBJECT_PREFIX = None
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The code step says when a code was already used in its window (accounts.mfa).
MFA_FORMS = {
    "authenticate": "accounts.mfa.AuthenticateForm",
    "reauthenticate": "accounts.mfa.ReauthenticateForm",
}
MFA_TOTP_ISSUER = SITE_NAME

# --- Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # A hung SMTP server fails the send (and it is retried) instead of holding a worker forever.
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static and media. Proof documents live outside MEDIA_ROOT so no URL can serve them directly.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# Local folders by default; an S3-compatible object store when AWS_STORAGE_BUCKET_NAME is set (README
# "Object storage"). "private" holds proof documents: no URL either way, only the permission-checked view.
STORAGES, MEDIA_ORIGINS = storages_from_environment(os.environ, debug=DEBUG)
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
# English wording for allauth's strings (sentence case, "Log in"/"Log out"): locale/en/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Security: strict in production, relaxed only where a local http:// site needs it.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page (hx-headers), not from the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Content Security Policy (django-csp): scripts, styles and everything else from this site only; no inline
# script or style anywhere (htmx's own indicator styles are switched off in base.html's htmx-config). The
# WebSocket is same-origin, which 'self' covers. data: images are allauth's TOTP QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],  # avatars from the object store
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features this site never uses (community.security.SecurityHeadersMiddleware sends it).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
# The health check and the metrics are called over plain HTTP by load balancers and Prometheus inside
# the network (metrics still need a token or loopback: community.metrics.endpoint).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# --- Metrics (/metrics, Prometheus). PROMETHEUS_MULTIPROC_DIR (read by prometheus-client itself) adds up
# several server processes. Loopback is off behind a proxy: a proxy on this host makes everyone local.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOW_LOOPBACK = env_bool("METRICS_ALLOW_LOOPBACK", not env_bool("BEHIND_PROXY", False))

# --- Community policy (feature switches, documented in the README).
TERMS_VERSION = os.environ.get("TERMS_VERSION", "2026-11")
FORUM_REVIEW_EDITS = env_bool("FORUM_REVIEW_EDITS", True)  # author edits of approved posts go back to review
FORUM_EXPERT_ANSWERS_SKIP_REVIEW = env_bool("FORUM_EXPERT_ANSWERS_SKIP_REVIEW", True)
FORUM_TRUSTED_SKIP_REVIEW = env_bool("FORUM_TRUSTED_SKIP_REVIEW", False)
FORUM_PAGE_SIZE = 20
# Anonymous visitors' home, category, tag and question pages come from the cache for at most this long;
# every change that affects them replaces their version token sooner (community.page_cache). 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
FORUM_MAX_TAGS = 5
EXPERT_VERIFICATION_DAYS = int(os.environ.get("EXPERT_VERIFICATION_DAYS", str(365 * 2)))
# An expert re-confirms their conflict-of-interest statement this often; the badge pauses until they do.
EXPERT_COI_CONFIRM_DAYS = int(os.environ.get("EXPERT_COI_CONFIRM_DAYS", "365"))
# A public question addressed to a specialty or an expert with no verified expert answer after this long is
# listed for moderators as "Overdue for an expert" (forum.alerts).
EXPERT_OVERDUE_HOURS = int(os.environ.get("EXPERT_OVERDUE_HOURS", "48"))
AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_SIZES = (256, 64)
EXPERT_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

# --- Trust and safety (issue 7; documented in the README, "Trust, safety and privacy").
# Distinct open flags that hide an item until a moderator decides.
FORUM_FLAGS_TO_HIDE = int(os.environ.get("FORUM_FLAGS_TO_HIDE", "3"))
# Rate limits per member, "count/period" with period s, m, h or d (e.g. "10/h", "3/15m"). Members whose
# account is younger than FORUM_NEW_MEMBER_DAYS get the tighter second table. Moderators are exempt.
FORUM_NEW_MEMBER_DAYS = int(os.environ.get("FORUM_NEW_MEMBER_DAYS", "7"))
FORUM_RATE_LIMITS = {"question": "20/h", "answer": "40/h", "vote": "200/h", "flag": "30/d"}
FORUM_NEW_MEMBER_RATE_LIMITS = {"question": "5/h", "answer": "10/h", "vote": "60/h", "flag": "10/d"}
# A new member's post with this many links or more goes to the queue with a note for moderators.
FORUM_SPAM_MAX_LINKS = int(os.environ.get("FORUM_SPAM_MAX_LINKS", "3"))
# Crisis resources shown when a post mentions suicide or self-harm, per country (ISO 3166 code): the
# member's chosen country (their profile), else the region of their browser's language (en-GB: GB), else
# CRISIS_COUNTRY. A country without an entry gets the international list, "INTL". (The phrase list itself
# is data: forum.CrisisPhrase, editable in the admin.) `tel`/`sms` are dialled, `*_shown` as written.
CRISIS_COUNTRY = os.environ.get("CRISIS_COUNTRY", "US").upper()
CRISIS_RESOURCES = {
    "US": {"name": "United States", "lines": [
        {"name": "988 Suicide & Crisis Lifeline", "how": "Call or text 988, any time, free.",
         "tel": "988", "sms": "988", "url": "https://988lifeline.org"},
        {"name": "Emergency services", "how": "Call 911 if you are in immediate danger.", "tel": "911"},
    ]},
    "GB": {"name": "United Kingdom", "lines": [
        {"name": "Samaritans", "how": "Call 116 123, any time, free.", "tel": "116123", "tel_shown": "116 123",
         "url": "https://www.samaritans.org"},
        {"name": "NHS 111", "how": "Call 111 and choose the mental health option for urgent help.", "tel": "111"},
        {"name": "Emergency services", "how": "Call 999 if you are in immediate danger.", "tel": "999"},
    ]},
    "IE": {"name": "Ireland", "lines": [
        {"name": "Samaritans Ireland", "how": "Call 116 123, any time, free.", "tel": "116123", "tel_shown": "116 123",
         "url": "https://www.samaritans.org/ireland"},
        {"name": "Text About It", "how": "Text HELLO to 50808, any time, free.", "sms": "50808"},
        {"name": "Emergency services", "how": "Call 112 or 999 if you are in immediate danger.", "tel": "112"},
    ]},
    "CA": {"name": "Canada", "lines": [
        {"name": "9-8-8 Suicide Crisis Helpline", "how": "Call or text 988, any time, free.",
         "tel": "988", "sms": "988", "url": "https://988.ca"},
        {"name": "Emergency services", "how": "Call 911 if you are in immediate danger.", "tel": "911"},
    ]},
    "AU": {"name": "Australia", "lines": [
        {"name": "Lifeline Australia", "how": "Call 13 11 14 or text 0477 13 11 14, any time.",
         "tel": "131114", "tel_shown": "13 11 14", "sms": "0477131114", "sms_shown": "0477 13 11 14", "url": "https://www.lifeline.org.au"},
        {"name": "Emergency services", "how": "Call 000 if you are in immediate danger.", "tel": "000"},
    ]},
    "NZ": {"name": "New Zealand", "lines": [
        {"name": "1737, Need to talk?", "how": "Call or text 1737, any time, free.", "tel": "1737",
         "sms": "1737", "url": "https://1737.org.nz"},
        {"name": "Lifeline Aotearoa", "how": "Call 0800 543 354, any time, free.", "tel": "0800543354",
         "tel_shown": "0800 543 354"},
        {"name": "Emergency services", "how": "Call 111 if you are in immediate danger.", "tel": "111"},
    ]},
    "IN": {"name": "India", "lines": [
        {"name": "Tele-MANAS", "how": "Call 14416, any time, free.", "tel": "14416",
         "url": "https://telemanas.mohfw.gov.in"},
        {"name": "Emergency services", "how": "Call 112 if you are in immediate danger.", "tel": "112"},
    ]},
    "INTL": {"name": "Another country", "lines": [
        {"name": "Find a Helpline", "how": "Free, confidential helplines in your country, found by where you are.",
         "url": "https://findahelpline.com"},
    ]},
}  # fmt: skip
# Moderators and experts must have a TOTP authenticator (allauth.mfa) before they use their powers.
REQUIRE_MFA_FOR_POWERS = env_bool("REQUIRE_MFA_FOR_POWERS", True)

# --- Read API and embeddable expert box (issue 16; README "Read API" and "Ask our experts box").
# Requests per client address to /api/v1/ ("count/period", as FORUM_RATE_LIMITS); 429 past it.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")
# How long clients and proxies may reuse an API response before asking again (with its ETag).
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "60"))
# Origins (scheme://host[:port]) whose pages may frame the "Ask our experts" box; the box's CSP
# frame-ancestors lists them (and the site itself, for its demo page). Every other page stays 'none'.
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Paths carry question slugs and search terms (health content): community.log_filters redacts them.
    "filters": {"redact_paths": {"()": "community.log_filters.RedactPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines can carry search terms (health content): keep them out of the log.
        "django.request": {"filters": ["redact_paths"]},
        "django.server": {"filters": ["redact_paths"]},
        "django.channels.server": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        # Celery's task lines name the task and its id, never its arguments (which are row ids anyway).
        "celery.app.trace": {"level": "WARNING"},
    },
}
