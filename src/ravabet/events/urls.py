from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/", views.programmes, name="programmes"),
    path("events/programme/<slug:slug>/", views.series, name="series"),
    path("events/programme/<slug:slug>/calendar.ics", views.series_ics, name="series_ics"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/pass/<str:token>/", views.pass_page, name="pass"),
    path("events/leave/<str:token>/", views.leave, name="leave"),
    path("events/verify/", views.verify_form, name="verify_form"),
    path("events/verify/<str:code>/", views.verify, name="verify"),
    path("staff/<slug:office_slug>/events/", views.staff_list, name="staff_list"),
    path("staff/<slug:office_slug>/events/figures/", views.staff_figures, name="staff_figures"),
    path("staff/events/programme/<slug:slug>/clone/", views.staff_clone, name="staff_clone"),
    path("staff/events/<int:pk>/", views.staff_event, name="staff_event"),
    path(
        "staff/events/<int:pk>/registrations/<int:reg_pk>/<str:decision>/",
        views.staff_decide,
        name="staff_decide",
    ),
    path("staff/events/<int:pk>/move/", views.staff_move, name="staff_move"),
    path("staff/events/<int:pk>/cancel/", views.staff_cancel, name="staff_cancel"),
    path("staff/events/<int:pk>/invite/", views.staff_invite, name="staff_invite"),
    path("staff/events/<int:pk>/mark/", views.staff_mark, name="staff_mark"),
    path(
        "staff/events/<int:pk>/sessions/<int:session_pk>/checkin/",
        views.staff_checkin,
        name="staff_checkin",
    ),
    path("staff/events/<int:pk>/door-list.csv", views.staff_door_list, name="staff_door_list"),
    path("staff/events/<int:pk>/certificates/", views.staff_certify, name="staff_certify"),
    path(
        "staff/events/<int:pk>/certificates.zip",
        views.staff_certificates_zip,
        name="staff_certificates_zip",
    ),
    path(
        "staff/certificates/<str:code>/certificate.pdf",
        views.staff_certificate_pdf,
        name="staff_certificate_pdf",
    ),
    path("staff/certificates/<str:code>/revoke/", views.staff_revoke, name="staff_revoke"),
    path("staff/events/pass/<str:code>/", views.staff_pass, name="staff_pass"),
    path("<slug:office_slug>/events/", views.office_events, name="office_events"),
]
