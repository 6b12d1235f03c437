from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "network"

urlpatterns = [
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/verify/", views.verify, name="verify"),
    path("accounts/enrol/<str:token>/", views.enrol, name="enrol"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(success_url=reverse_lazy("network:password_reset_done")),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="network/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="network/password_reset_confirm.html",
            success_url=reverse_lazy("network:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="network/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("staff/<slug:office_slug>/members/", views.members, name="members"),
    path(
        "staff/<slug:office_slug>/members/<int:membership_id>/revoke/",
        views.revoke,
        name="revoke",
    ),
    path("staff/<slug:office_slug>/audit/", views.audit_log, name="audit_log"),
    path("staff/<slug:office_slug>/offices/", views.offices, name="offices"),
    path(
        "staff/<slug:office_slug>/offices/<slug:child_slug>/",
        views.office_edit,
        name="office_edit",
    ),
]
