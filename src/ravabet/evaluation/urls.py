from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluation/", views.public_index, name="public"),
    path("evaluation/methodology/", views.methodology, name="methodology"),
    path("evaluation/<str:key>/", views.public_period, name="public_period"),
    path("staff/evaluation/", views.staff_index, name="staff"),
    path("staff/evaluation/evaluators/", views.evaluators, name="evaluators"),
    path("staff/evaluation/criteria/<int:number>/", views.criteria, name="criteria"),
    path("staff/evaluation/criteria/<int:number>/copy/", views.copy_version, name="copy_version"),
    path(
        "staff/evaluation/criteria/<int:number>/<str:kind>/<int:pk>/weight/",
        views.set_weight,
        name="weight",
    ),
    path("staff/evaluation/<str:key>/", views.overview, name="overview"),
    path("staff/evaluation/<str:key>/next/", views.advance, name="advance"),
    path("staff/evaluation/<str:key>/export.xlsx", views.export_xlsx, name="xlsx"),
    path("staff/evaluation/<str:key>/overview.pdf", views.export_pdf, name="pdf"),
    path("staff/evaluation/<str:key>/mark/", views.marking, name="marking"),
    path("staff/evaluation/<str:key>/mark/<int:score_id>/", views.marking, name="mark"),
    path("staff/evaluation/<str:key>/audit/", views.auditing, name="auditing"),
    path("staff/evaluation/<str:key>/audit/<int:score_id>/", views.auditing, name="audit"),
    path("staff/<slug:office_slug>/evaluation/<str:key>/", views.office_card, name="card"),
    path("staff/<slug:office_slug>/evaluation/<str:key>/card.pdf", views.office_card_pdf,
         name="card_pdf"),
    path("staff/<slug:office_slug>/evaluation/<str:key>/close/", views.office_action,
         {"action": "close"}, name="close_replies"),
    path("staff/<slug:office_slug>/evaluation/<str:key>/reply/<int:score_id>/",
         views.office_action, {"action": "reply"}, name="reply"),
    path("staff/<slug:office_slug>/evaluation/<str:key>/evidence/<int:score_id>/",
         views.office_action, {"action": "evidence"}, name="evidence"),
]  # fmt: skip
