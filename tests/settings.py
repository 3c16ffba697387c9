"""Test settings: the real settings, with a throwaway data folder and a fixed test key."""
import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("BAOKU_DATA_DIR", tempfile.mkdtemp(prefix="baoku-test-"))

from archive.settings import *  # noqa: E402,F401,F403

# Fast hashing for test users; the real validators still apply in production.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# A file, not SQLite's in-memory default: module-scoped fixtures and a live server
# in another thread must all see the same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

# WhiteNoise warns about a missing STATIC_ROOT on every request; tests never collect.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
