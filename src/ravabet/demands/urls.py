from django.urls import path

from . import views

app_name = "demands"

urlpatterns = [
    path("demands/new/", views.choose_office, name="choose"),
    path("demands/track/", views.track, name="track"),
    path("demands/track/<str:code>/", views.status, name="status"),
    path("demands/published/", views.published, name="published"),
    path("responsiveness/", views.responsiveness, name="responsiveness"),
    path("staff/<slug:office_slug>/demands/", views.inbox, name="inbox"),
    path("staff/<slug:office_slug>/demands/deadlines/", views.deadlines, name="deadlines"),
    path("staff/<slug:office_slug>/demands/<int:pk>/", views.detail, name="detail"),
    path("staff/<slug:office_slug>/demands/<int:pk>/answer/", views.answer, name="answer"),
    path("staff/<slug:office_slug>/demands/<int:pk>/assign/", views.assign, name="assign"),
    path("staff/<slug:office_slug>/demands/<int:pk>/refer/", views.refer, name="refer"),
    path("staff/<slug:office_slug>/demands/<int:pk>/note/", views.note, name="note"),
    path("staff/<slug:office_slug>/demands/<int:pk>/close/", views.close, name="close"),
    path(
        "staff/<slug:office_slug>/demands/<int:pk>/files/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("<slug:office_slug>/demands/new/", views.new, name="new"),
    path("<slug:office_slug>/demands/", views.published, name="office_published"),
    path(
        "<slug:office_slug>/responsiveness/",
        views.office_responsiveness,
        name="office_responsiveness",
    ),
]
