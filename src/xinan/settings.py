"""Django settings for XinAn, read from the environment.

Every variable is documented in docs/configuration.md. With no variable set at
all, XinAn runs as a single-school installation on SQLite in ``./var``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from xinan.config.env import env_bool, env_int, env_list, env_path, env_str
from xinan.config.private_files import private_sqlite_file
from xinan.config.secrets import read_or_create_secret

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("XINAN_DATA_DIR", Path.cwd() / "var")

DEBUG = env_bool("XINAN_DEBUG", False)
# HTTPS-only cookies, HSTS and the redirect. On by default outside debug; the
# local demo turns it off because it is served over plain HTTP on loopback.
HTTPS = env_bool("XINAN_HTTPS", not DEBUG)

SECRET_KEY = env_str("XINAN_SECRET_KEY") or read_or_create_secret(DATA_DIR / "secret_key")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("XINAN_SECRET_KEY must be at least 50 characters long")

ALLOWED_HOSTS = env_list("XINAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("XINAN_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("XINAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "xinan.web",
    "xinan.organisations",
    "xinan.accounts",
    "xinan.audit",
    "xinan.notifications",
    "xinan.jobs",
    "xinan.students",
    "xinan.cases",
    "xinan.dossier",
    "xinan.training",
    "xinan.reports",
    "xinan.campaigns",
    "xinan.reviews",
    "xinan.selection",
    "xinan.privacy",
    "xinan.retention",
    "xinan.exports",
    "xinan.alerts",
    "xinan.operations",
    "xinan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # High up, so that responses made by the middleware below (a 400 for a bad Host) carry it too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Caps every uploaded file while the body streams in, before anything reads request.POST.
    "xinan.web.middleware.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xinan.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xinan.web.middleware.NoStoreMiddleware",
    # A file storage that fails (S3 unreachable) answers 503 with a message, not a server error.
    "xinan.web.middleware.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "xinan.urls"
WSGI_APPLICATION = "xinan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinan.web.context_processors.navigation",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'xinan.sqlite3'}"
try:
    _database = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("XINAN_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if _database["ENGINE"] == "django.db.backends.sqlite3":
    if _database["NAME"] and _database["NAME"] != ":memory:":
        private_sqlite_file(Path(_database["NAME"]))
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        # WAL lets the worker write while pages are read; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of failing mid-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _database["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL")
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks -------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASK_BACKEND = env_str("XINAN_TASK_BACKEND", "database", choices=("database", "rq", "immediate"))
if TASK_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("XINAN_TASK_BACKEND=rq needs REDIS_URL")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_IDLE_MINUTES = env_int("XINAN_SESSION_IDLE_MINUTES", 30, minimum=5, maximum=24 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: inactivity expiry
# However busy, a session ends this long after its sign-in (xinan.accounts.middleware).
SESSION_ABSOLUTE_HOURS = env_int("XINAN_SESSION_ABSOLUTE_HOURS", 12, minimum=1, maximum=7 * 24)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "xinan_session"
# Database sessions whose table keeps only a keyed digest of each session key (issue 13.6).
SESSION_ENGINE = "xinan.accounts.sessions"
CSRF_COOKIE_NAME = "xinan_csrf"

# SMS sign-in codes. Limits are documented in docs/configuration.md.
LOGIN_CODE_TTL_SECONDS = env_int("XINAN_LOGIN_CODE_TTL_SECONDS", 300, minimum=60, maximum=900)
LOGIN_CODE_MAX_ATTEMPTS = env_int("XINAN_LOGIN_CODE_MAX_ATTEMPTS", 5, minimum=1, maximum=10)
LOGIN_CODE_RESEND_SECONDS = env_int("XINAN_LOGIN_CODE_RESEND_SECONDS", 60, minimum=10)
LOGIN_CODES_PER_PHONE_HOUR = env_int("XINAN_LOGIN_CODES_PER_PHONE_HOUR", 5, minimum=1)
LOGIN_CODES_PER_PHONE_DAY = env_int("XINAN_LOGIN_CODES_PER_PHONE_DAY", 10, minimum=1)
LOGIN_CODES_PER_IP_HOUR = env_int("XINAN_LOGIN_CODES_PER_IP_HOUR", 20, minimum=1)
# Failures lock the attacking source, not the victim: per phone and source, per source over all
# phones, and only at a much higher count the phone itself (never for a right SMS code).
LOGIN_FAILURES_BEFORE_LOCKOUT = env_int("XINAN_LOGIN_FAILURES_BEFORE_LOCKOUT", 10, minimum=3)
LOGIN_FAILURES_PER_SOURCE = env_int("XINAN_LOGIN_FAILURES_PER_SOURCE", 30, minimum=3)
LOGIN_FAILURES_BEFORE_PHONE_LOCKOUT = env_int("XINAN_LOGIN_FAILURES_BEFORE_PHONE_LOCKOUT", 50, minimum=3)
LOGIN_LOCKOUT_MINUTES = env_int("XINAN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
OTP_TOTP_ISSUER = "XinAn"

# --- Security headers -----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (htmx's indicator style is off through its meta config).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    }
}
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("XINAN_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP inside the network
SECURE_HSTS_SECONDS = env_int("XINAN_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("XINAN_HSTS_PRELOAD", False)
BEHIND_PROXY = env_bool("XINAN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # nginx sets X-Forwarded-Proto; only trust it when we are told a proxy is in front.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
if HTTPS and not DEBUG:
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env_path("XINAN_STATIC_ROOT", DATA_DIR / "static")
MEDIA_ROOT = env_path("XINAN_MEDIA_ROOT", DATA_DIR / "files")
# Uploaded files are never served by URL: only through views that check permission.
MEDIA_URL = "/_never_served_directly/"
STORAGE_BACKEND = env_str("XINAN_STORAGE", "filesystem", choices=("filesystem", "s3"))
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("XINAN_S3_BUCKET") or "",
            "endpoint_url": env_str("XINAN_S3_ENDPOINT_URL"),
            "region_name": env_str("XINAN_S3_REGION"),
            "access_key": env_str("XINAN_S3_ACCESS_KEY"),
            "secret_key": env_str("XINAN_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("XINAN_STORAGE=s3 needs XINAN_S3_BUCKET")
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700  # folders made for uploads: owner-only like the data folder

# --- Messages: SMS and e-mail ------------------------------------------------------
SMS_BACKEND = env_str("XINAN_SMS_BACKEND", "outbox", choices=("outbox", "aliyun", "tencent"))
# A second provider that takes a message the first one refused or did not answer (empty: none).
SMS_FAILOVER_BACKEND = env_str("XINAN_SMS_FAILOVER_BACKEND", "", choices=("", "aliyun", "tencent"))
if SMS_FAILOVER_BACKEND and SMS_BACKEND == "outbox":
    raise ImproperlyConfigured("XINAN_SMS_FAILOVER_BACKEND needs a real XINAN_SMS_BACKEND (aliyun or tencent)")
if SMS_FAILOVER_BACKEND == SMS_BACKEND:
    raise ImproperlyConfigured("XINAN_SMS_FAILOVER_BACKEND must name the other provider than XINAN_SMS_BACKEND")
SMS_SIGN_NAME = env_str("XINAN_SMS_SIGN_NAME", "心安")
SMS_ACCESS_KEY_ID = env_str("XINAN_SMS_ACCESS_KEY_ID")
SMS_ACCESS_KEY_SECRET = env_str("XINAN_SMS_ACCESS_KEY_SECRET")
SMS_ENDPOINT = env_str("XINAN_SMS_ENDPOINT")  # override for a private gateway; default is the provider's
SMS_REGION = env_str("XINAN_SMS_REGION", "cn-hangzhou")
# Provider template codes, as JSON: {"login_code": "SMS_123", ...}
SMS_TEMPLATE_CODES = env_str("XINAN_SMS_TEMPLATE_CODES", "{}")
if "aliyun" in (SMS_BACKEND, SMS_FAILOVER_BACKEND) and not (SMS_ACCESS_KEY_ID and SMS_ACCESS_KEY_SECRET):
    raise ImproperlyConfigured("XINAN_SMS_BACKEND=aliyun needs XINAN_SMS_ACCESS_KEY_ID and _SECRET")
# Tencent Cloud SMS (API 3.0): its own credentials, application and templates.
TENCENT_SMS_SECRET_ID = env_str("XINAN_TENCENT_SMS_SECRET_ID")
TENCENT_SMS_SECRET_KEY = env_str("XINAN_TENCENT_SMS_SECRET_KEY")
TENCENT_SMS_APP_ID = env_str("XINAN_TENCENT_SMS_APP_ID")  # the SmsSdkAppId, e.g. 1400006666
TENCENT_SMS_SIGN_NAME = env_str("XINAN_TENCENT_SMS_SIGN_NAME")  # empty: XINAN_SMS_SIGN_NAME
# {"login_code": {"id": "1234567", "params": ["code", "minutes"]}, ...}: positional template parameters
TENCENT_SMS_TEMPLATES = env_str("XINAN_TENCENT_SMS_TEMPLATES", "{}")
TENCENT_SMS_ENDPOINT = env_str("XINAN_TENCENT_SMS_ENDPOINT")  # default https://sms.tencentcloudapi.com/
TENCENT_SMS_REGION = env_str("XINAN_TENCENT_SMS_REGION", "ap-guangzhou")
if "tencent" in (SMS_BACKEND, SMS_FAILOVER_BACKEND) and not (
    TENCENT_SMS_SECRET_ID and TENCENT_SMS_SECRET_KEY and TENCENT_SMS_APP_ID
):
    raise ImproperlyConfigured(
        "XINAN_SMS_BACKEND=tencent needs XINAN_TENCENT_SMS_SECRET_ID, _SECRET_KEY and _APP_ID"
    )
# 企业微信 and 钉钉 server APIs; each school's application and robot are set by the system admin.
WECOM_ENDPOINT = env_str("XINAN_WECOM_ENDPOINT", "https://qyapi.weixin.qq.com")
DINGTALK_ENDPOINT = env_str("XINAN_DINGTALK_ENDPOINT", "https://oapi.dingtalk.com")
for _name, _url in (("XINAN_WECOM_ENDPOINT", WECOM_ENDPOINT), ("XINAN_DINGTALK_ENDPOINT", DINGTALK_ENDPOINT)):
    if not _url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{_name} must be an http(s) URL")
MESSAGE_MAX_ATTEMPTS = env_int("XINAN_MESSAGE_MAX_ATTEMPTS", 5, minimum=1, maximum=20)

EMAIL_DELIVERY = env_str("XINAN_EMAIL_BACKEND", "outbox", choices=("outbox", "smtp"))
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("XINAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("XINAN_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("XINAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("XINAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("XINAN_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("XINAN_EMAIL_SSL", False)
DEFAULT_FROM_EMAIL = env_str("XINAN_EMAIL_FROM", "xinan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Encryption at rest (xinan.crypto) --------------------------------------------------
# Comma-separated Fernet keys, newest first; when unset, one is generated into the data directory.
ENCRYPTION_KEYS = env_list("XINAN_ENCRYPTION_KEYS", [])

# --- Audit --------------------------------------------------------------------------
# The Cybersecurity Law (Art. 21) asks for network logs to be kept for at least six months (the
# floor); the default is three years, what the published processing rules promise (PIPL Art. 55-56,
# GB/T 35273 §11: processing records kept at least three years).
AUDIT_RETENTION_DAYS = env_int("XINAN_AUDIT_RETENTION_DAYS", 1095, minimum=180)

# --- Retention of closed cases ------------------------------------------------------
# A closed case is kept this many years after the later of the student's leaving the school
# stage and the case's closing, then destroyed or anonymised by the daily job (legal hold excepted).
RETENTION_CASE_YEARS = env_int("XINAN_RETENTION_CASE_YEARS", 5, minimum=1)
RETENTION_ACTION = env_str("XINAN_RETENTION_ACTION", "destroy", choices=("destroy", "anonymise"))

# --- Audit alerts (xinan.alerts) ---------------------------------------------------------
# Thresholds of the rules over the audit trail; night hours are China time (Asia/Shanghai).
ALERT_CASES_NOT_ON_PER_HOUR = env_int("XINAN_ALERT_CASES_NOT_ON_PER_HOUR", 5, minimum=1, maximum=1000)
ALERT_REFUSALS_PER_HOUR = env_int("XINAN_ALERT_REFUSALS_PER_HOUR", 10, minimum=1, maximum=1000)
ALERT_LOCKOUTS_PER_DAY = env_int("XINAN_ALERT_LOCKOUTS_PER_DAY", 1, minimum=0, maximum=100)
ALERT_NIGHT_START = env_int("XINAN_ALERT_NIGHT_START", 22, minimum=0, maximum=23)
ALERT_NIGHT_END = env_int("XINAN_ALERT_NIGHT_END", 6, minimum=0, maximum=23)
if ALERT_NIGHT_START == ALERT_NIGHT_END:
    raise ImproperlyConfigured("XINAN_ALERT_NIGHT_START and XINAN_ALERT_NIGHT_END must differ")

# --- Language and time --------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# --- Logging: never personal data; see xinan.web.logging -------------------------------
LOG_LEVEL = env_str("XINAN_LOG_LEVEL", "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "xinan.web.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "xinan.web.views.csrf_failure"
