from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("version/<str:version>/", views.notice, name="notice_version"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export/", views.request_export, name="request_export"),
    path("my-data/erase/", views.erase_account, name="erase"),
    path("download/<str:token>/", views.download, name="download"),
    path(
        "organizations/<slug:slug>/export/",
        views.request_organization_export,
        name="organization_export",
    ),
]
