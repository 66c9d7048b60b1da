"""Baiqau settings, read from the environment (12-factor; a `.env` file is optional).

SQLite under DATA_DIR is the zero-set-up default; DATABASE_URL selects PostgreSQL.
"""

from pathlib import Path

import django_stubs_ext
import environ

# Lets admin and queryset classes be subscripted for the type checker at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The fallback key starts with "django-insecure-", so `check --deploy` flags a production
# configuration that forgot to set its own.
SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-baiqau-development-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # baiqau.core first: its templates override allauth's layout and form elements.
    "baiqau.core",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "baiqau.accounts",
    "baiqau.audit",
    "baiqau.organisations",
    "baiqau.calls",
    "baiqau.applications",
    "baiqau.review",
    "baiqau.results",
    "baiqau.monitoring",
    "baiqau.publishing",
    "baiqau.notifications",
    "baiqau.workspace",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "baiqau.core.middleware.ArrivalTimeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "baiqau.urls"
WSGI_APPLICATION = "baiqau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baiqau.core.context_processors.site",
                "baiqau.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

_sqlite_default = f"sqlite:///{DATA_DIR / 'baiqau.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_sqlite_default)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no data folder yet; SQLite cannot create the file without it.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so two writers cannot
    # both read the audit chain's head and append after it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kazakh is the default and the prefix is always shown (/kk/, /ru/, /en/).
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
# locale_vendor: Kazakh for django-allauth, which ships no Kazakh catalogue of its own.
LOCALE_PATHS = [BASE_DIR / "baiqau" / "locale", BASE_DIR / "baiqau" / "locale_vendor"]
FORMAT_MODULE_PATH = ["baiqau.formats"]
USE_I18N = True
USE_TZ = True
# Kazakhstan moved to a single zone, UTC+5, on 1 March 2024; tzdata >= 2024a knows it.
TIME_ZONE = "Asia/Almaty"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files live outside any web root and are served only through views that check access.
MEDIA_ROOT = DATA_DIR / "private"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Baiqau <noreply@baiqau.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "applicants:dashboard"
ACCOUNT_ADAPTER = "baiqau.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "publishing:home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Baiqau] "
ACCOUNT_SESSION_REMEMBER = None
# Failed log-ins: at most 10 a minute from one address, and 5 in 5 minutes for one account.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
# Everyone with a role in running a call must log in with a second factor.
BAIQAU_STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Baiqau"

# Background work (django-tasks): run at once in the web process by default; in production
# TASK_BACKEND=database queues tasks in the database, worked by `baiqau worker`.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env.str("TASK_BACKEND", default="immediate")]
    }
}

# Rate limits and other short-lived state; several app servers need a shared cache (CACHE_URL,
# e.g. redis://127.0.0.1:6379/1).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://baiqau")}

# Applications' attachments: checked by content, stored under MEDIA_ROOT (outside any web root).
BAIQAU_ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
BAIQAU_APPLICATION_ATTACHMENTS_MAX_BYTES = env.int(
    "APPLICATION_ATTACHMENTS_MAX_BYTES", default=30 * 1024 * 1024
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

BAIQAU_SITE_NAME = "Baiqau"
# The public address, for links in e-mails.
BAIQAU_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
BAIQAU_360G_PREFIX = env.str("BAIQAU_360G_PREFIX", default="360G-baiqau")  # until one is registered
