from django.urls import path

from . import staff_views, views

app_name = "comments"

urlpatterns = [
    path("comments/on/<slug:kind>/<str:key>/", views.submit, name="submit"),
    path("comments/c/<int:pk>/like/", views.vote, name="vote"),
    path("comments/c/<int:pk>/report/", views.report, name="report"),
    path("staff/<slug:office_slug>/comments/", staff_views.queue, name="queue"),
    path("staff/<slug:office_slug>/comments/settings/", staff_views.settings_view, name="settings"),
    path("staff/<slug:office_slug>/comments/<int:pk>/", staff_views.detail, name="detail"),
]
