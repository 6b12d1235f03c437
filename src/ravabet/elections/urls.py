from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("elections/", views.index, name="index"),
    path("elections/<int:pk>/", views.detail, name="detail"),
    path("elections/<int:pk>/vote/", views.vote, name="vote"),
    path("elections/<int:pk>/code/", views.vote_with_code, name="code"),
    path("elections/<int:pk>/ballots/", views.ballots, name="ballots"),
    path("elections/<int:pk>/ballots.json", views.ballots_json, name="ballots_json"),
    path("elections/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("elections/<int:pk>/nominations/<int:candidate_pk>/", views.answer, name="answer"),
    path("elections/<int:pk>/count/", views.count, name="count"),
    path("staff/<slug:office_slug>/elections/", views.staff_list, name="staff_list"),
    path("staff/<slug:office_slug>/elections/<int:pk>/", views.manage, name="manage"),
]
