"""Staff pages of the council core, and the personal calendar feed (councilpub mounts the public
pages and the desks from its own modules)."""

from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path("staff/councils/", views.index, name="index"),
    path("staff/councils/calendar/", views.calendar, name="calendar"),
    path("staff/councils/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("staff/councils/meetings/<int:pk>/edit/", views.edit_meeting, name="edit_meeting"),
    path("staff/councils/meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path(
        "staff/councils/meetings/<int:pk>/do/<slug:action>/",
        views.meeting_action,
        name="meeting_action",
    ),
    path("staff/councils/meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path(
        "staff/councils/meetings/<int:pk>/agenda/<int:item_id>/<slug:action>/",
        views.agenda_item_action,
        name="agenda_item",
    ),
    path(
        "staff/councils/meetings/<int:pk>/proposals/<int:proposal_id>/",
        views.schedule_proposal,
        name="schedule_proposal",
    ),
    path("staff/councils/meetings/<int:pk>/rsvp/<int:invitation_id>/", views.rsvp, name="rsvp"),
    path("staff/councils/meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("staff/councils/meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path(
        "staff/councils/meetings/<int:pk>/minutes/<slug:action>/",
        views.minutes_action,
        name="minutes_action",
    ),
    path("staff/councils/meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("staff/councils/meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("staff/councils/decisions/<int:pk>/", views.decision, name="decision"),
    path("staff/councils/decisions/<int:pk>/report/", views.decision_report, name="report"),
    path("staff/councils/decisions/<int:pk>/deadline/", views.decision_deadline, name="deadline"),
    path("staff/councils/decisions/<int:pk>/close/", views.decision_close, name="close"),
    path(
        "staff/councils/decisions/<int:pk>/files/<int:report_id>/",
        views.report_file,
        name="report_file",
    ),
    path("staff/councils/new/", views.new_council, name="new_council"),
    path("staff/councils/<slug:slug>/", views.council, name="council"),
    path("staff/councils/<slug:slug>/members/", views.members, name="members"),
    path("staff/councils/<slug:slug>/seats/<int:seat_id>/end/", views.end_seat, name="end_seat"),
    path("staff/councils/<slug:slug>/groups/", views.new_group, name="new_group"),
    path("staff/councils/<slug:slug>/groups/join/", views.join_group, name="join_group"),
    path(
        "staff/councils/<slug:slug>/groups/memberships/<int:membership_id>/end/",
        views.leave_group,
        name="leave_group",
    ),
    path("staff/councils/<slug:slug>/meetings/new/", views.new_meeting, name="new_meeting"),
    path("staff/councils/<slug:slug>/propose/", views.propose, name="propose"),
    path("councils/calendar/<str:token>.ics", views.feed, name="feed"),
]
