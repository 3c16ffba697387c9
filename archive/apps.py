from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "报库"

    def ready(self):
        # Connects the login-failure counters to django.contrib.auth's signals.
        from archive import security  # noqa: F401
        from archive import version

        # Every record a public page shows; the audit rows (IngestRun) show on none.
        version.connect([m for m in self.get_models() if m._meta.model_name not in {"ingestrun", "archiveversion"}])
