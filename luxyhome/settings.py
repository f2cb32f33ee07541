"""Luxyhome settings: every value comes from the environment, with a development default.

The variables and their defaults are listed in README.md (Configuration).
"""

import hashlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import botocore.config
import environ
import sentry_sdk
from corsheaders.defaults import default_headers
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.django import DjangoIntegration

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# --- Environment ---------------------------------------------------------------------------

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    for required in ("ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(f"Set the {required} environment variable in production.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-luxyhome-key-never-use-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
DEBUG = env.bool("DEBUG", default=not PRODUCTION)

# --- Applications --------------------------------------------------------------------------

INSTALLED_APPS = [
    "luxyhome.admin.AdminConfig",  # django.contrib.admin, opening on the staff dashboard (analytics)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    # before token_blacklist: our flushexpiredtokens also purges the access-token denylist
    "accounts",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "catalog",
    "cart",
    "orders",
    "outbox",
    "payments",
    "analytics",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first: times the whole stack
    "luxyhome.logs.RequestLogMiddleware",  # outside the rest: every answer gets its X-Request-ID
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy: CONTENT_SECURITY_POLICY below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # 304 for an If-None-Match naming the ETag
    "luxyhome.api.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # sees the view and the status
]

ROOT_URLCONF = "luxyhome.urls"
WSGI_APPLICATION = "luxyhome.wsgi.application"
ASGI_APPLICATION = "luxyhome.asgi.application"

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
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------

DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # No health check (a SELECT 1 before each request's first query): a connection the server
    # dropped fails one request with a 503 (luxyhome.api.faults) and Django then replaces it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=env.int("DATABASE_CONNECT_TIMEOUT", default=5),
        # a server that stops answering mid-query frees the worker in seconds, not at gunicorn's timeout
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=5,
        keepalives_count=3,
        tcp_user_timeout=env.int("DATABASE_TCP_USER_TIMEOUT_MS", default=20_000),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions -----------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "luxyhome",
            "OPTIONS": {
                # A Redis outage degrades to the database instead of failing requests.
                "IGNORE_EXCEPTIONS": True,
                # Redis answers in well under a millisecond; a request makes several calls, so a
                # hung Redis must cost each of them little
                "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
                "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.25),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "luxyhome"}}
    # django-ratelimit wants a shared cache; one development process is fine without.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# seconds a cached catalog answer may live; every catalog write makes older answers unreachable at once
CACHE_TTL = env.int("CACHE_TTL", default=600)

# --- Auth ----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# seconds a password reset link works (it also dies once used: its token covers the password hash)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
# seconds an e-mail verification link works
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 60 * 60)

if PRODUCTION:
    JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY")
    if len(JWT_SIGNING_KEY) < 64 or JWT_SIGNING_KEY == SECRET_KEY:
        raise ImproperlyConfigured("JWT_SIGNING_KEY must be at least 64 characters and differ from SECRET_KEY.")
else:
    JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default=hashlib.sha256(f"jwt:{SECRET_KEY}".encode()).hexdigest())

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("ACCESS_TOKEN_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("REFRESH_TOKEN_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

# --- API -----------------------------------------------------------------------------------

TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["luxyhome.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["luxyhome.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "luxyhome.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "luxyhome.api.exceptions.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "luxyhome.api.throttling.AnonRateThrottle",
        "luxyhome.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="300/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
    },
    # Without it DRF keys throttles on the whole X-Forwarded-For header, which the client writes.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Luxyhome API",
    "DESCRIPTION": "The REST API behind the Luxyhome storefront.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["luxyhome.api.schema.contract_paths"],
    # every error as application/problem+json, with the ones each kind of operation shares
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "luxyhome.api.schema.problem_responses",
    ],
}

# Request bodies: non-file data up to DATA_UPLOAD_MAX_MEMORY_SIZE, whole bodies (uploads) up to this.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
MAX_REQUEST_BODY_SIZE = env.int("MAX_REQUEST_BODY_SIZE", default=12 * 1024 * 1024)

# --- Abuse limits (django-ratelimit on auth endpoints) -------------------------------------

RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_FAIL_OPEN = True  # a cache outage must not lock every shopper out
LOGIN_RATE = env.str("LOGIN_RATE", default="10/m")
LOGIN_FAILURE_RATE = env.str("LOGIN_FAILURE_RATE", default="5/15m")  # per email and client
LOGIN_FAILURE_EMAIL_RATE = env.str("LOGIN_FAILURE_EMAIL_RATE", default="100/h")  # per email, from anywhere
REGISTER_RATE = env.str("REGISTER_RATE", default="10/h")
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="10/h")  # reset links asked for, per client IP
PASSWORD_RESET_EMAIL_RATE = env.str("PASSWORD_RESET_EMAIL_RATE", default="3/h")  # per email, from anywhere
VERIFICATION_RESEND_RATE = env.str("VERIFICATION_RESEND_RATE", default="10/h")  # per client IP
VERIFICATION_RESEND_EMAIL_RATE = env.str("VERIFICATION_RESEND_EMAIL_RATE", default="3/h")  # per email

# --- CORS ----------------------------------------------------------------------------------

# production names its storefronts itself: no default, as for SECRET_KEY
CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS", default=[] if PRODUCTION else ["http://localhost:3000", "http://localhost:5173"]
)
if PRODUCTION and not CORS_ALLOWED_ORIGINS:
    raise ImproperlyConfigured("Set the CORS_ALLOWED_ORIGINS environment variable in production.")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*default_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = ["Retry-After", "X-Cache", "X-Request-ID"]

# --- Static and media ----------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "luxyhome.storage.PublicS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "url_protocol": env.str("AWS_S3_URL_PROTOCOL", default="https:"),
            # product images are public: plain URLs, which cached catalog answers can hold
            "querystring_auth": False,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": "path",
            "client_config": botocore.config.Config(
                connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=2.0),
                read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=10.0),
                retries={"max_attempts": 2},
            ),
        },
    }

# --- Content-Security-Policy (django-csp) -------------------------------------------------


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _bucket_sources(options: dict) -> list[str]:
    """Where product images load from when S3 keeps them: the custom domain, the S3-compatible server,
    or AWS, where boto3 names the bucket in the host, or in the path when the name has a dot."""
    if options["custom_domain"]:
        return [_origin(f"{options['url_protocol']}//{options['custom_domain']}")]
    if options["endpoint_url"]:
        return [_origin(options["endpoint_url"])]
    bucket, region = options["bucket_name"], options["region_name"]
    hosts = ["s3.amazonaws.com", *([f"s3.{region}.amazonaws.com"] if region else [])]
    return [*(f"https://{bucket}.{host}" for host in hosts), *(f"https://{host}/{bucket}/" for host in hosts)]


# Every page (the admin, the API docs, the landing page) loads from this origin alone, and runs no
# inline script: Swagger UI's start script is a file of its own (SpectacularSwaggerSplitView). Inline
# styles stay allowed, since they run no code: the admin's thumbnails, Swagger UI's and the landing
# page's <style>. Images: product images from the media storage, Swagger UI's icons as data: URLs.
CONTENT_SECURITY_POLICY = {
    # the JSON API and the probes serve no page for a policy to protect; /api/docs is a page and keeps it
    "EXCLUDE_URL_PREFIXES": [
        *(
            f"/api/{prefix}"
            for prefix in ("auth/", "products", "categories", "cart", "orders", "payments/", "admin/", "schema")
        ),
        "/healthz",
        "/readyz",
        "/metrics",
    ],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [
            SELF,
            "data:",
            *(_bucket_sources(STORAGES["default"]["OPTIONS"]) if AWS_STORAGE_BUCKET_NAME else []),
        ],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- E-mail --------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Luxyhome <orders@luxyhome.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# seconds before a failed e-mail is tried again, doubled at each failure (up to 30 minutes)
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=30)

# the storefront: links in e-mails (password reset, e-mail verification) open its pages
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")

# --- Shop ----------------------------------------------------------------------------------

CURRENCY = env.str("CURRENCY", default="USD")
PENDING_ORDER_TTL_SECONDS = env.int("PENDING_ORDER_TTL_SECONDS", default=30 * 60)
ORDER_EXPIRY_SWEEP_SECONDS = env.int("ORDER_EXPIRY_SWEEP_SECONDS", default=60)
MAX_PENDING_ORDERS = env.int("MAX_PENDING_ORDERS", default=3)
# staff figures (analytics): days gone by are at most this many seconds behind; today is always live
ANALYTICS_REFRESH_SECONDS = env.int("ANALYTICS_REFRESH_SECONDS", default=600)
# products for sale with this stock or less are listed as running low
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=5)

# --- Payments (Stripe) ---------------------------------------------------------------------

# no secret key: paying answers 503 payments_unavailable; no webhook secret: the webhook answers 503
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # another Stripe-compatible server (localstripe)
STRIPE_CONNECT_TIMEOUT = env.float("STRIPE_CONNECT_TIMEOUT", default=3.0)
STRIPE_READ_TIMEOUT = env.float("STRIPE_READ_TIMEOUT", default=10.0)

# --- Background jobs (Celery: luxyhome/celery.py) ------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL
# No broker: each task runs in-process when it is sent, that is right after its transaction commits.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # no result backend: tasks leave their outcome in the database
# A task is acknowledged once it has run, and given back if its worker dies mid-way: tasks are
# idempotent, so running one twice does no harm, and losing one would.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged task to another worker after this long: longer than any countdown
    # (outbox retries wait 30 minutes at most), or a waiting retry would run twice
    "visibility_timeout": 60 * 60,
    # a broker that is down or unreachable must not hold a request for long: the task is then left to
    # the sweeps (a worker's long wait for tasks is not bound by these)
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.1}
# Celery's Django support closes the database connection after every task unless told to reuse it:
# a new PostgreSQL connection for each e-mail would cost more than sending it
CELERY_DB_REUSE_MAX = 1000
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the LOGGING below formats the worker's lines too


def _every(seconds: int, task: str) -> dict:
    # a periodic task no worker took before its next turn is dropped, not piled up
    return {"task": task, "schedule": seconds, "options": {"expires": seconds}}


# exactly one `celery -A luxyhome beat` sends these; the purges hourly, so a beat started anew (which
# waits one interval before each first run) never puts one off for long
CELERY_BEAT_SCHEDULE = {
    "expire-unpaid-orders": _every(ORDER_EXPIRY_SWEEP_SECONDS, "orders.tasks.orders_expire"),
    "redeliver-emails": _every(60, "outbox.tasks.emails_redeliver"),
    "purge-idempotency-keys": _every(60 * 60, "orders.tasks.idempotency_keys_purge"),
    "purge-expired-tokens": _every(60 * 60, "accounts.tasks.expired_tokens_purge"),
    "purge-sent-emails": _every(60 * 60, "outbox.tasks.sent_emails_purge"),
    "redeliver-stripe-events": _every(60, "payments.tasks.stripe_events_redeliver"),
    "redeliver-refunds": _every(60, "payments.tasks.refunds_redeliver"),
    "purge-processed-stripe-events": _every(60 * 60, "payments.tasks.processed_events_purge"),
    # today's figures, a finished day's once more after midnight, and any older day an order of it changed
    "refresh-daily-sales": _every(ANALYTICS_REFRESH_SECONDS, "analytics.tasks.daily_sales_refresh"),
}

# --- Real time (Channels: luxyhome/asgi.py serves /ws/, run by uvicorn) -----------------------

ASGI_APPLICATION = "luxyhome.asgi.application"
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Redis pub/sub: a change is published once, each socket process hears it once and hands it
            # to its own sockets (the list-based RedisChannelLayer queues a copy per socket in Redis,
            # and one process then pops them one round trip each). Groups live in each process's
            # memory: none left behind in Redis by a process that died, none that expire.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                # a read that waits longer than redis-py's socket_timeout (5 s by default) drops the
                # connection: the subscription's idle connection must outlast the quiet between changes
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 1}],
                # pub/sub channels belong to the whole Redis server, not to a db: the db's number keeps
                # two shops (or two test runs) on one server from hearing each other's changes
                "prefix": f"luxyhome-ws-db{urlsplit(REDIS_URL).path.strip('/') or 0}.",
            },
        }
    }
else:  # one development process: the sockets and the code that changes orders share its memory
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# open sockets one signed-in shopper, and one client address (an IPv6 /64), may hold in each ws process
WEBSOCKET_MAX_PER_USER = env.int("WEBSOCKET_MAX_PER_USER", default=20)
WEBSOCKET_MAX_PER_CLIENT = env.int("WEBSOCKET_MAX_PER_CLIENT", default=50)
# messages a client may send in a minute on a socket that only needs to receive; more closes it (4429)
WEBSOCKET_MESSAGES_PER_MINUTE = env.int("WEBSOCKET_MESSAGES_PER_MINUTE", default=10)

# --- Internationalisation ------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- HTTPS (production) --------------------------------------------------------------------

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # probes and the metrics scraper speak plain HTTP inside the network
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Observability -------------------------------------------------------------------------

SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=DJANGO_ENV,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# /metrics answers these addresses (or networks) and the bearer METRICS_TOKEN; anyone else gets a 404
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Query and cache metrics: django-prometheus's subclasses of the same backends, so connection.vendor
# and the django-redis OPTIONS (IGNORE_EXCEPTIONS) stay as they are.
INSTRUMENTED_BACKENDS = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
    "django_redis.cache.RedisCache": "django_prometheus.cache.backends.redis.RedisCache",
    "django.core.cache.backends.locmem.LocMemCache": "luxyhome.metrics.LocMemCache",
}
for _config, _key in ((DATABASES["default"], "ENGINE"), (CACHES["default"], "BACKEND")):
    _config[_key] = INSTRUMENTED_BACKENDS.get(_config[_key], _config[_key])  # any other one: uninstrumented
if REDIS_URL:  # django-ratelimit warns about any cache class but django-redis's own, subclasses too
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# --- Logging -------------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": {"()": "luxyhome.logs.formatter", "json": LOG_FORMAT == "json"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own handlers off: its errors and their tracebacks reach the console handler above
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
