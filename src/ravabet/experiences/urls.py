from django.urls import path

from . import views

app_name = "experiences"

urlpatterns = [
    path("experiences/", views.listing, name="list"),
    path("experiences/export.csv", views.export_csv, name="export"),
    path("experiences/network/", views.directory, name="directory"),
    path("experiences/network/add/", views.add_contact, name="add_contact"),
    path("experiences/files/<int:pk>/", views.attachment, name="attachment"),
    path("experiences/files/<int:pk>/remove/", views.detach, name="detach"),
    path("experiences/<int:pk>/", views.detail, name="detail"),
    path("experiences/<int:pk>/useful/", views.vote, name="vote"),
    path("experiences/<int:pk>/applied/", views.applied, name="applied"),
    path("experiences/<int:pk>/versions/", views.versions, name="versions"),
    path("experiences/<int:pk>/edit/", views.edit, name="edit"),
    path("experiences/<int:pk>/submit/", views.submit, name="submit"),
    path("experiences/<int:pk>/review/", views.review, name="review"),
    path("experiences/<int:pk>/publish/", views.publish, name="publish"),
    path("experiences/<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("experiences/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("experiences/<int:pk>/attach/", views.attach, name="attach"),
    path("staff/experiences/", views.desk, name="desk"),
    path("staff/experiences/new/<slug:office_slug>/", views.create, name="create"),
]
