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
    path("guides/", staff_views.guide_list, name="guides"),
    path("guides/new/", staff_views.guide_edit, name="guide_new"),
    path("guides/<int:pk>/", staff_views.guide_edit, name="guide_edit"),
]
