"""All settings of the portal, read from the environment with safe embedded defaults."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from common.ablage import S3_BACKEND, s3_optionen

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Production refuses to start without its secrets: no silent insecure fallback.
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="unsicher-nur-fuer-die-entwicklung")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY muss gesetzt sein, wenn DEBUG aus ist.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS muss gesetzt sein, wenn DEBUG aus ist.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "guardian",
    "axes",
    "csp",
    "common",
    "kommunen",
    "projekte",
    "wissen",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SpracheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivatCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The operator may override the legal texts (Impressum, ...) with own templates here.
        "DIRS": [*env.list("PORTAL_TEMPLATE_DIRS", default=[]), BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Embedded default: a SQLite file, so the demo runs after one command.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The planner overestimates the rows behind the visibility filter and JIT-compiles
    # every list query (about 9 ms each, measured by tests/bench); plain execution is faster.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "TEST_DATABASE_NAME", default="test_wissensverbund"
    )

# A read-only replica of the primary (PostgreSQL streaming replication). Unset: one database,
# no router. Set: the lists, the search and the dashboard read from it, everything else and
# every read after a write stays on the primary (common/datenbanken.py, README "Betrieb").
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# After a write, the same browser reads from the primary for this many seconds, so that the
# page it is redirected to does not miss the write on a lagging replica.
DATABASE_REPLICA_PRIMAER_SEKUNDEN = env.int("DATABASE_REPLICA_PRIMAER_SEKUNDEN", default=5)
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL setzt PostgreSQL als DATABASE_URL voraus.")
    if not 0 <= DATABASE_REPLICA_PRIMAER_SEKUNDEN <= 3600:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_PRIMAER_SEKUNDEN muss zwischen 0 und 3600 liegen."
        )
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Under test the alias is a database of its own beside the primary's test database.
    DATABASES["replica"].setdefault("TEST", {})["NAME"] = (
        DATABASES["default"]["TEST"]["NAME"] + "_replikat"
    )
    DATABASE_ROUTERS = ["common.datenbanken.ReplikatRouter"]
    # Inside the session middleware: saving a session is no write the next page must see.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        "common.datenbanken.ReplikatMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kommunen.Benutzer"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kommunen.backends.KommunenBackend",
    "guardian.backends.ObjectPermissionBackend",
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

# A link to set a new password (sent by mail, /konto/passwort/vergessen/) is valid this long;
# short, because whoever reads the mail may take over the account.
PASSWORT_LINK_STUNDEN = env.int("PASSWORT_LINK_STUNDEN", default=2)
if not 1 <= PASSWORT_LINK_STUNDEN <= 72:
    raise ImproperlyConfigured("PASSWORT_LINK_STUNDEN muss zwischen 1 und 72 liegen.")
PASSWORD_RESET_TIMEOUT = PASSWORT_LINK_STUNDEN * 60 * 60
# Requests for such a link: at most this many mails per address and hour (whether or not an
# account has the address), and this many requests per client address and 15 minutes.
PASSWORT_MAILS_JE_ADRESSE = env.int("PASSWORT_MAILS_JE_ADRESSE", default=3)
PASSWORT_ANFRAGEN_JE_CLIENT = env.int("PASSWORT_ANFRAGEN_JE_CLIENT", default=20)
if PASSWORT_MAILS_JE_ADRESSE < 1 or PASSWORT_ANFRAGEN_JE_CLIENT < 1:
    raise ImproperlyConfigured(
        "PASSWORT_MAILS_JE_ADRESSE und PASSWORT_ANFRAGEN_JE_CLIENT müssen mindestens 1 sein."
    )

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "start"

# Language and time
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# Static files: whitenoise. Uploaded documents live elsewhere and are never served as static.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Where uploaded documents live: the file system under MEDIA_ROOT (the default), or an
# S3-compatible object store, so that web and worker replicas on several machines share them
# (common/ablage.py). Either way files are read only through the storage API and handed out
# only by the download view after its permission check: no public ACL, no presigned links.
DOKUMENTE_SPEICHER = env.str("DOKUMENTE_SPEICHER", default="") or (
    "s3" if env.str("AWS_STORAGE_BUCKET_NAME", default="") else "dateisystem"
)
if DOKUMENTE_SPEICHER == "dateisystem":
    DOKUMENTE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
elif DOKUMENTE_SPEICHER == "s3":
    DOKUMENTE_STORAGE = {
        "BACKEND": S3_BACKEND,
        "OPTIONS": s3_optionen(
            bucket=env.str("AWS_STORAGE_BUCKET_NAME", default=""),
            endpunkt=env.str("AWS_S3_ENDPOINT_URL", default=""),
            region=env.str("AWS_S3_REGION_NAME", default=""),
            schluessel_id=env.str("AWS_ACCESS_KEY_ID", default=""),
            schluessel=env.str("AWS_SECRET_ACCESS_KEY", default=""),
            adressierung=env.str("AWS_S3_ADDRESSING_STYLE", default=""),
        ),
    }
else:
    raise ImproperlyConfigured("DOKUMENTE_SPEICHER muss „dateisystem“ oder „s3“ sein.")
STORAGES = {
    "default": DOKUMENTE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# `check --deploy` warnings the operator has decided on (e.g. portal.W002 where the machine's
# role gives the object store's keys).
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
# Extracted text kept per document for search. PostgreSQL's tsvector holds at most 1 MB of
# lexemes and positions; a document whose text still does not fit ends in "fehler".
EXTRAKTION_MAX_ZEICHEN = env.int("EXTRAKTION_MAX_ZEICHEN", default=1_000_000)
# The budget of one document's extraction (decision 0014): seconds in all (text and OCR), and
# scanned pages read by OCR (0 turns OCR off), rendered at OCR_DPI. Over budget a document
# keeps what was read and is marked "teilweise". The task's Celery limits follow the budget,
# and a run older than EXTRAKTION_VERLOREN_SEKUNDEN counts as lost and is started again.
EXTRAKTION_MAX_SEKUNDEN = env.int("EXTRAKTION_MAX_SEKUNDEN", default=300)
OCR_MAX_SEITEN = env.int("OCR_MAX_SEITEN", default=100)
OCR_DPI = env.int("OCR_DPI", default=300)
for _name, _wert, _von, _bis in (
    ("EXTRAKTION_MAX_SEKUNDEN", EXTRAKTION_MAX_SEKUNDEN, 10, 3600),
    ("OCR_MAX_SEITEN", OCR_MAX_SEITEN, 0, 10_000),
    ("OCR_DPI", OCR_DPI, 100, 600),
):
    if not _von <= _wert <= _bis:
        raise ImproperlyConfigured(f"{_name} muss zwischen {_von} und {_bis} liegen.")
EXTRAKTION_SOFT_TIME_LIMIT = EXTRAKTION_MAX_SEKUNDEN + 60
EXTRAKTION_TIME_LIMIT = EXTRAKTION_MAX_SEKUNDEN + 120
EXTRAKTION_VERLOREN_SEKUNDEN = EXTRAKTION_MAX_SEKUNDEN + 180
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Cache: Redis when configured, else process-local memory.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: no broker configured means tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_RETRY_DELAY = 30
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up quickly when the broker is down; the work is recorded in the database
# and the periodic sweeps queue it again (common/aufgaben.py).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
# Acks late: a message a worker took stays in Redis until the task ends. If the whole worker
# dies (SIGKILL, lost machine), another worker takes it again once it has been out longer than
# the visibility timeout; the scan for such messages runs every CELERY_UNACKED_RESTORE_SEKUNDEN.
# The timeout must stay above the longest task (EXTRAKTION_TIME_LIMIT) and any countdown;
# `check --deploy` warns otherwise (wissen.W002).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_SEKUNDEN", default=30),
    "unacked_restore_throttle": 1,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_TIMEZONE = TIME_ZONE
# Crontab schedules (fixed wall-clock times, the same on every beat restart). Access already
# follows each Freigabe's dates at read time; the hourly job records ends and tells owners.
CELERY_BEAT_SCHEDULE = {
    "freigaben-ablaufen": {
        "task": "kommunen.tasks.freigaben_ablaufen",
        "schedule": crontab(minute=5),
    },
    "ablauf-erinnern": {
        "task": "kommunen.tasks.ablauf_erinnern",
        "schedule": crontab(minute=20, hour="*/6"),
    },
    # Owners hear once per Löschdatum that it is near or past (LOESCH-1).
    "loeschdatum-erinnern": {
        "task": "kommunen.tasks.loeschdatum_erinnern",
        "schedule": crontab(minute=35, hour="*/6"),
    },
    "benachrichtigungen-nachsenden": {
        "task": "kommunen.tasks.benachrichtigungen_nachsenden",
        "schedule": crontab(minute="*/10"),
    },
    "verteilungen-nachholen": {
        "task": "kommunen.tasks.verteilungen_nachholen",
        "schedule": crontab(minute="*/5"),
    },
    # Memos of decisions whose PDF the document store did not take at the time.
    "vermerke-nachholen": {
        "task": "kommunen.tasks.vermerke_nachholen",
        "schedule": crontab(minute="7-59/15"),
    },
    "extraktion-nachholen": {
        "task": "wissen.tasks.extraktion_nachholen",
        "schedule": crontab(minute="*/5"),
    },
    # Daily at night: pseudonymise the person in read events past their retention period.
    "protokoll-pseudonymisieren": {
        "task": "kommunen.tasks.protokoll_pseudonymisieren",
        "schedule": crontab(minute=35, hour=3),
    },
    # Mondays 07:00 local time: what partners shared last week, for the weekly setting.
    "wochenzusammenfassung": {
        "task": "kommunen.tasks.wochenzusammenfassung_senden",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
}

# Read events in the Protokoll (detail pages opened and documents downloaded by named staff):
# kept with the person for this many months, then pseudonymised by the daily task (the Kommune,
# time and object stay; decisions are never touched). Without per-person logging (a staff
# council has not agreed, Art. 75a BayPVG) reads are recorded per Kommune from the start.
PROTOKOLL_LESEN_AUFBEWAHREN_MONATE = env.int("PROTOKOLL_LESEN_AUFBEWAHREN_MONATE", default=24)
if not 1 <= PROTOKOLL_LESEN_AUFBEWAHREN_MONATE <= 1200:
    raise ImproperlyConfigured(
        "PROTOKOLL_LESEN_AUFBEWAHREN_MONATE muss zwischen 1 und 1200 liegen."
    )
PROTOKOLL_LESEN_PRO_PERSON = env.bool("PROTOKOLL_LESEN_PRO_PERSON", default=True)

# E-mail
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env.str("EMAIL_HOST", default="")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS und EMAIL_USE_SSL schließen einander aus.")
EMAIL_SSL_CERTFILE = env.str("EMAIL_SSL_CERTFILE", default="") or None
EMAIL_SSL_KEYFILE = env.str("EMAIL_SSL_KEYFILE", default="") or None
# A mail server that does not answer must not hold a worker: the row stays owed and the sweep
# sends it later (kommunen/tasks.py).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)
EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[Wissensverbund] ")
EMAIL_USE_LOCALTIME = env.bool("EMAIL_USE_LOCALTIME", default=True)
if env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
SERVER_EMAIL = env.str("SERVER_EMAIL", default="wissensverbund@localhost")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="wissensverbund@localhost")

# The operator's contact for Impressum and accessibility feedback.
PORTAL_BETREIBER = env.str("PORTAL_BETREIBER", default="Betreiber des Wissensverbunds")
PORTAL_KONTAKT_EMAIL = env.str("PORTAL_KONTAKT_EMAIL", default="barrierefreiheit@localhost")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo")

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.views.csrf_fehler"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

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
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Failed logins are throttled per account and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/gesperrt.html"
# Behind the reverse proxy every request comes from the proxy's address; locking on that
# would let anyone lock out any named user everywhere. TRUSTED_PROXY_COUNT is the number of
# proxies in front of gunicorn that append to X-Forwarded-For (compose: 1). The client is the
# address the outermost trusted proxy appended, counted from the right, so entries a client
# writes into the header itself are never used; without a trusted proxy the header is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT darf nicht negativ sein.")
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # ipware counts the proxies listed in the header; the last one is REMOTE_ADDR.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
# django-ipware: take the entry at the trusted position even when a client sent its own
# X-Forwarded-For (strict mode would fall back to the proxy's address for all such clients).
IPWARE_STRICT = False
AXES_VERBOSE = False

# guardian: our own direct-FK tables; its anonymous user joins the public group.
GUARDIAN_RAISE_403 = False
GUARDIAN_GET_INIT_ANONYMOUS_USER = "kommunen.models.anonymer_benutzer_init"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
    },
}
