from django.urls import path

from . import staff_views

app_name = "staff_opendata"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
]
