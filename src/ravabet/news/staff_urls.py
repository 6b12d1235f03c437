from django.urls import path

from . import staff_views

app_name = "news_staff"

urlpatterns = [
    path("staff/<slug:office_slug>/news/", staff_views.desk, name="desk"),
    path("staff/<slug:office_slug>/news/new/", staff_views.create, name="create"),
    path("staff/news/<int:code>/", staff_views.edit, name="edit"),
    path("staff/news/<int:code>/step/", staff_views.step, name="step"),
    path("staff/news/<int:code>/photos/", staff_views.add_photo, name="add_photo"),
    path("staff/news/photos/<int:pk>/delete/", staff_views.remove_photo, name="remove_photo"),
    path("staff/news/<int:code>/revisions/", staff_views.revisions, name="revisions"),
    path(
        "staff/news/<int:code>/revisions/<int:number>/restore/",
        staff_views.restore,
        name="restore",
    ),
]
