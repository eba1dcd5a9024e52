from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:key>/", views.detail, name="detail"),
]
