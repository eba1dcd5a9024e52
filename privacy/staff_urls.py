from django.urls import path

from . import staff_views

app_name = "staff_privacy"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("audit/", staff_views.audit_log, name="audit"),
]
