"""WSGI entry point. gunicorn preloads it in the master (see Makefile), so
jieba's dictionary is loaded once and shared by the workers."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()
