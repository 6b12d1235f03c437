from django.urls import path

from . import feeds, views
from .pagecache import cached_page

app_name = "news"

rss = cached_page(feeds.NewsFeed(), params=())
atom = cached_page(feeds.AtomNewsFeed(), params=())

urlpatterns = [
    path("news/", views.latest, name="latest"),
    path("news/group/<slug:slug>/", views.group, name="group"),
    path("news/tag/<str:slug>/", views.tag, name="tag"),
    path("news/archive/", views.archive, name="archive"),
    path("news/archive/<int:year>/<int:month>/", views.archive_month, name="archive_month"),
    path("news/office/<slug:office_slug>/", views.office_news, name="office"),
    path("news/print/<int:code>/", views.print_view, name="print"),
    path("news/<int:code>/useful/", views.vote, name="vote"),
    path("news/<int:code>/", views.detail, name="detail_code"),
    path("news/<int:code>/<str:slug>/", views.detail, name="detail"),
    path("feeds/rss/", rss, name="feed_rss"),
    path("feeds/atom/", atom, name="feed_atom"),
    path("feeds/<str:kind>/<str:slug>/rss/", rss, name="feed_rss_of"),
    path("feeds/<str:kind>/<str:slug>/atom/", atom, name="feed_atom_of"),
]
