"""Settings for Baoku.

Every difference between a laptop and a deployment is an environment variable
with a safe development default: SQLite and a whoosh index under DATA_DIR, so a
fresh clone runs with no server. DATABASE_URL switches to PostgreSQL.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # Only for local development: never used when DEBUG is off.
        SECRET_KEY = "dev-only-insecure-key-do-not-deploy"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off "
            "(export SECRET_KEY=... or DEBUG=1 for development)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Everything the archive writes at run time lives here: database, index, jieba cache.
DATA_DIR = Path(os.environ.get("BAOKU_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "haystack",
    "archive",
    "search",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.http_policy.ResponsePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.security.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive.urls"

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
                "archive.identity.site",
            ],
        },
    },
]

WSGI_APPLICATION = "archive.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'baoku.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an ingest writes; the timeout lets a second
    # writer wait for the first instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# On disk, so gunicorn's workers share it (login failure counts live here).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}


def page_cache(setting):
    """The shared cache for whole pages (archive.caching): every worker must see the same one.

    `file` (default: a folder in the data folder), `db` (a table; run
    `manage.py createcachetable`), `redis://host:port/db` (Django's RedisCache; pip
    install redis), or `off`.
    """
    options = {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "20000"))}
    # Entries are keyed by the archive's version; old ones are never read again and
    # go at their timeout or when the cache culls.
    common = {"TIMEOUT": 24 * 3600, "OPTIONS": options}
    if setting == "off":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if setting == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "baoku_page_cache", **common}
    if setting.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": setting, "TIMEOUT": 24 * 3600}
    if setting != "file":
        raise ImproperlyConfigured(f"PAGE_CACHE={setting!r}: use file, db, off or a redis:// URL")
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "page_cache"), **common}


CACHES["pages"] = page_cache(os.environ.get("PAGE_CACHE", "file").strip())
# Seconds a browser or proxy may reuse a public page without asking again; 0 means it
# asks every time (a conditional GET, answered 304 while the archive is unchanged).
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "0"))
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", str(15 * 60)))
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
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

# Search: one engine contract (search/engines/base.py), two engines through haystack.
# whoosh (the default) keeps the index on this machine's disk; solr talks to a SolrCloud
# collection made from solr/configset (README, "Search on Solr"). SOLR_URL is the
# collection's URL; several, comma-separated (one per node), are tried in turn.
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "whoosh").strip().lower()
if SEARCH_ENGINE == "whoosh":
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.backend.JiebaWhooshEngine",
            "PATH": os.environ.get("SEARCH_INDEX_PATH", str(DATA_DIR / "whoosh_index")),
        }
    }
elif SEARCH_ENGINE == "solr":
    if not os.environ.get("SOLR_URL", "").strip():
        raise ImproperlyConfigured("SEARCH_ENGINE=solr needs SOLR_URL (the collection's URL, e.g. "
                                   "http://127.0.0.1:8983/solr/baoku)")
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.solr.JiebaSolrEngine",
            "URL": os.environ["SOLR_URL"].strip(),
            "TIMEOUT": int(os.environ.get("SOLR_TIMEOUT", "30")),
        }
    }
else:
    raise ImproperlyConfigured(f"SEARCH_ENGINE is {SEARCH_ENGINE!r}: it takes whoosh (the default) or solr")
# Index updates go through a queue drained by one writer (search/signals.py),
# so a web request and an ingest never fight over whoosh's write lock.
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.QueuedSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20

# The archive's identity: shown in the header, the feeds and the OpenSearch description.
# The home region (a place's name or alias) decides between places printed alike
# (东区 is 郑东新区 in a Zhengzhou paper) and which places a local article is about.
BAOKU_SITE_NAME = os.environ.get("BAOKU_SITE_NAME", "报库")
BAOKU_SITE_DESCRIPTION = os.environ.get("BAOKU_SITE_DESCRIPTION", "郑州地方报纸档案")
BAOKU_HOME_REGION = os.environ.get("BAOKU_HOME_REGION", "郑州")

# jieba's dictionary cache defaults to /tmp and is unmarshalled unchecked; keep it ours.
JIEBA_CACHE_FILE = str(DATA_DIR / "jieba.cache")
# The archive's person, organisation and district names as jieba words (one per line),
# rewritten by search.names when they change and re-read by every process.
JIEBA_USER_DICT = str(DATA_DIR / "jieba_names.txt")
# How many articles a saved-search Atom feed lists, newest first.
SEARCH_FEED_ITEMS = 50
# Most articles one export of search results (CSV or JSON Lines) writes; the download says so.
SEARCH_EXPORT_LIMIT = int(os.environ.get("SEARCH_EXPORT_LIMIT", "5000"))
# Whether an ingest of many page files parses the next pages in a second process while it
# writes the current one (archive.ingest.ahead); off on one core, where it cannot help.
BAOKU_INGEST_AHEAD = env_bool("BAOKU_INGEST_AHEAD", (os.cpu_count() or 1) > 1)
# Processes that analyse and write a bulk index commit (an ingest); 1 for one process.
SEARCH_INDEX_PROCS = int(os.environ.get("SEARCH_INDEX_PROCS", str(min(2, os.cpu_count() or 1))))
# MB of postings each whoosh index writer holds before it spills sorted runs to disk (and
# pickles every posting twice): a month's ingest writes without spilling at 256 (index CPU
# 44-48 -> 35 s, each writer process's peak memory 234 -> 490 MB); 16 keeps memory small.
SEARCH_WRITER_MB = int(os.environ.get("SEARCH_WRITER_MB", "256"))
# Postings a search process keeps decoded (numpy arrays, 16 bytes each, least recently used
# out first), so a word's list is decoded once for its matches and its ranking and the common
# words stay decoded between searches; 0 keeps none. 2,000,000 is at most 32 MB a process.
SEARCH_POSTINGS_KEPT = int(os.environ.get("SEARCH_POSTINGS_KEPT", "2000000"))

# Production hardening, switched on by environment (see README, "Production").
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every response (archive.http_policy): the site loads only its own scripts, styles
# and images, inline ones included, and is never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
