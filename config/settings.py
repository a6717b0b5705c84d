"""Settings for Intersessional: one module, read from the environment.

Every value that differs between a laptop, CI and production comes from an environment variable
(or a `.env` file beside manage.py). The defaults are safe: DEBUG is off, the database is an
SQLite file in the project folder, and the security headers a production site needs are on
unless DEBUG is set. See docs/deploy.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from psycopg_pool import ConnectionPool

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-local-development-key-never-use-in-production",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps first, so that our `import` command (readable errors, all-or-nothing) takes
    # precedence over django-import-export's own.
    "meetings",
    "delegations",
    "agenda",
    # The meeting's content in the six languages: one column per language (translation.py in
    # each app); before the admin, so that the admin shows a tab per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    # Object permissions written once as predicates (agenda/rules.py, found by autodiscovery).
    "rules.apps.AutodiscoverRulesConfig",
    # Throttles sign-in against password guessing.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Text that is not text (a NUL character, an unpaired surrogate) never ends in a 500: a
    # cookie holding it is ignored, a request whose view failed on it is answered 400.
    "config.middleware.NotTextIsNoError",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, CSRF, the signed-in user and messages are skipped on a call of the JSON API
    # with a bearer token, which needs none of them (config.middleware.token_call).
    "config.middleware.Sessions",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.Authentication",
    # A signed-in person's chosen language (delegations.languages), after the browser's guess.
    "delegations.languages.PersonLanguageMiddleware",
    # Every time shown or typed is in the meeting's time zone (meetings.clock).
    "meetings.clock.MeetingTimeZoneMiddleware",
    "config.middleware.Messages",
    # What every page reads and seldom changes (the categories of participant) is read once
    # per request.
    "delegations.categories.RequestCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the sign-in page with a reason.
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The screens the signed-in user may open, for the navigation.
                "agenda.web.start.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked" when the list of speakers
    # takes many requests at once; WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and env.int("DB_POOL_MAX_SIZE", default=8) > 0
):
    # Under ASGI every request runs in its own thread with its own connection: without a pool,
    # a burst of requests opens as many connections as requests and PostgreSQL refuses the
    # ones over its limit. The pool keeps a few per process and makes the rest wait their turn.
    # (workers × DB_POOL_MAX_SIZE must stay under PostgreSQL's max_connections.)
    # A connection is checked before it is handed out (one round trip): one that PostgreSQL
    # closed meanwhile (a restart, pg_terminate_backend, an idle timeout) is replaced, instead
    # of failing the request that gets it with a 500.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=8),
        "timeout": env.int("DB_POOL_TIMEOUT", default=30),
        "check": ConnectionPool.check_connection,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Requests for the floor for one list that arrive together in one server process are written
# in one transaction (group commit, agenda.speakers.batches); false: each on its own.
FLOOR_REQUESTS_TOGETHER = env.bool("FLOOR_REQUESTS_TOGETHER", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: Django tells every validator when a password was changed (a reset, an
    # invitation, the admin, `changepassword`; not a hash upgrade), and this one revokes the
    # account's API tokens then (agenda/models/tokens.py).
    {"NAME": "agenda.models.tokens.RevokeApiTokensOnPasswordChange"},
]
# The default hashers; a deployment (or a test server) may choose others.
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)
# Accounts: the secretariat creates focal points' accounts and invites them by e-mail
# (docs/delegations.md). Sign-in is throttled first, then checked; permissions come from the
# rules (agenda/rules.py) and, for the admin, from Django's model permissions.
AUTHENTICATION_BACKENDS = [
    "delegations.accounts.SignInThrottle",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # where each role works (agenda.web.start)
LOGOUT_REDIRECT_URL = "home"
# Invitation and password-reset links work once and expire after this many seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 60 * 60)

# Requests for reset links: at most this many an hour from one address, and for one e-mail
# address (known or not).
PASSWORD_RESETS_PER_ADDRESS = env.int("PASSWORD_RESETS_PER_ADDRESS", default=5)
PASSWORD_RESETS_PER_EMAIL = env.int("PASSWORD_RESETS_PER_EMAIL", default=3)

# Sign-in throttling (django-axes, delegations.accounts.SignInLockouts): after 5 failures for
# one username from one address, that username is locked from that address; after 20 from any
# addresses, from everywhere. A lock lasts 15 minutes (from the last failure); a success clears
# the failures from its address. The address is the connection's (REMOTE_ADDR): uvicorn puts
# the client's there only for connections from a proxy in FORWARDED_ALLOW_IPS (docs/deploy.md),
# so a client cannot choose it by sending X-Forwarded-For itself.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "delegations.accounts.SignInLockouts"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "delegations.accounts.client_address"
AXES_LOCKOUT_CALLABLE = "delegations.account_views.locked_out"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
# The six official languages of the United Nations, each named in itself (the language menu).
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content not yet translated reads in English (the secretariat sees that it is a fallback).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The admin's tabs per language use jQuery UI, served from here like every other asset.
JQUERY_UI_URL = "vendor/jquery-ui-1.14.1/jquery-ui.min.js"
USE_I18N = True
# Stored in UTC; each meeting is shown in its own time zone (Europe/Zurich for Geneva).
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
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
WHITENOISE_USE_FINDERS = DEBUG

# Statements handed in by delegations: PDF, DOCX or ODT, at most this many bytes each; at most
# this many at a time per account (in each server process). Their words are read for the search
# after the upload, by this many threads per server process (0: at once, when the upload
# commits, in the request).
STATEMENT_MAX_BYTES = env.int("STATEMENT_MAX_BYTES", default=10 * 1024 * 1024)
UPLOADS_PER_ACCOUNT = env.int("UPLOADS_PER_ACCOUNT", default=3)
STATEMENT_TEXT_WORKERS = env.int("STATEMENT_TEXT_WORKERS", default=2)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Every export neutralises text cells that a spreadsheet would take for a formula
# (meetings/exports.py). The library's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays off: it
# only drops a leading "=" (not +, -, @, tab, carriage return) and turns every cell, numbers
# too, into text.

# E-mail goes to the console in development, to SMTP when EMAIL_URL is set
# (smtp+tls://user:password@host:587).
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    _smtp = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="intersessional@localhost")

# Security. Everything a production site needs is on unless DEBUG is set; a reverse proxy
# that terminates TLS must send X-Forwarded-Proto (docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# A strict Content Security Policy: no inline script or style anywhere, assets from this
# site only. Templates load everything from static/ (vendored, no CDN).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes notes every sign-in at INFO; lockouts are warnings.
    "loggers": {"axes": {"level": env("AXES_LOG_LEVEL", default="WARNING")}},
}
