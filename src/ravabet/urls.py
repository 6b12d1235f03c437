"""URL map: Persian at the root, English under /en/ (the same pages, switched by a link)."""

import sys

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve
from django_otp.admin import OTPAdminSite

from ravabet.news import views as news_views
from ravabet.news.sitemaps import SITEMAPS
from ravabet.ops.middleware import unavailable_response
from ravabet.portal import errors, health
from ravabet.portal import views as portal_views

# The admin, for operators, also demands the second factor.
admin.site.__class__ = OTPAdminSite

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found


def server_error(request: HttpRequest) -> HttpResponse:
    """A lost database connection anywhere (a middleware too) is a 503 to retry, not a 500."""
    return unavailable_response(sys.exc_info()[1]) or errors.server_error(request)


handler500 = server_error

urlpatterns = [
    path("healthz", health.liveness, name="healthz"),
    path("healthz/ready", health.readiness, name="readiness"),
    path("", include("ravabet.ops.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("news-sitemap.xml", news_views.news_sitemap, name="news_sitemap"),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
urlpatterns += i18n_patterns(
    path("", include("ravabet.network.urls")),
    # Domain apps mount here, before the portal's catch-all /<office-slug>/.
    path("", include("ravabet.comments.urls")),
    path("", include("ravabet.news.urls")),
    path("", include("ravabet.news.staff_urls")),
    path("", include("ravabet.demands.urls")),
    path("", include("ravabet.search.urls")),
    # The council's public pages and desks first: their fixed paths (staff/councils/desk/) come
    # before the core's staff/councils/<slug>/.
    path("", include("ravabet.council.public_urls")),
    path("", include("ravabet.council.urls")),
    path("", include("ravabet.evaluation.urls")),
    path("", include("ravabet.experiences.urls")),
    path("", include("ravabet.elections.urls")),
    path("", include("ravabet.events.urls")),
    path("", include("ravabet.portal.urls")),
    # Every office's portal home; the name is the project-wide contract `Office` reverses.
    path("<slug:office_slug>/", portal_views.office_home, name="office_home"),
    prefix_default_language=False,
)
