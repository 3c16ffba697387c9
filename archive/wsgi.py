"""WSGI entry point. gunicorn preloads it in the master (see Makefile), so
jieba's dictionary is loaded once and shared by the workers."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# Load jieba's dictionary here, in gunicorn's master (--preload), not in each
# worker's first search.
from search.analyzer import get_jieba  # noqa: E402

get_jieba()
