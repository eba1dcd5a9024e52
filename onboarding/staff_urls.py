from django.urls import path

from . import staff_views

app_name = "staff_onboarding"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path(
        "invitations/<int:pk>/<str:action>/",
        staff_views.invitation_action,
        name="invitation_action",
    ),
]
