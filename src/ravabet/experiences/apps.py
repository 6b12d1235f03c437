from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "ravabet.experiences"
    verbose_name = "Experience write-ups"

    def ready(self) -> None:
        from . import search_feed

        search_feed.register()
