"""The council's public pages and the desks (councilpub); the core's own pages are in urls.py."""

from django.urls import path

from . import desk_views, public_views

app_name = "council_public"

urlpatterns = [
    path("councils/", public_views.councils, name="councils"),
    path("councils/decisions/", public_views.register, name="register"),
    path("councils/decisions/<str:code>/", public_views.decision, name="decision"),
    path("councils/meetings/<int:pk>/", public_views.meeting, name="meeting"),
    path("councils/<slug:slug>/", public_views.council, name="council"),
    path("staff/councils/desk/", desk_views.desk, name="desk"),
    path("staff/councils/meetings/<int:pk>/news/", desk_views.news_draft, name="news_draft"),
    path("staff/<slug:office_slug>/decisions/", desk_views.office_decisions, name="office"),
]
