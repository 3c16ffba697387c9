from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "报库"

    def ready(self):
        # Connects the login-failure counters to django.contrib.auth's signals.
        from archive import security  # noqa: F401
