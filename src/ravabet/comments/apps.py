from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "ravabet.comments"
    label = "comments"
    verbose_name = _("Comments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ravabet.news.pagecache import register_fragment

        from . import targets, views

        targets.register("news", targets.resolve_news)
        register_fragment("news_comments", views.news_fragment)
