from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "编辑台"

    def ready(self):
        # Corrections are replayed on every parse of a stored page (archive.loader.REVISERS).
        from archive import loader
        from desk.corrections import revise_page

        if revise_page not in loader.REVISERS:
            loader.REVISERS.append(revise_page)
