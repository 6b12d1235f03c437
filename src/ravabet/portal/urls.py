from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.province_home, name="province_home"),
    path("staff/", views.dashboard, name="dashboard"),
]
