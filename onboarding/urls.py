from django.urls import path

from . import invitation_views, material_views, views

app_name = "onboarding"

urlpatterns = [
    path("", views.start, name="start"),
    path("submitted/", views.submitted, name="submitted"),
    path("invite/<str:token>/", invitation_views.follow, name="invitation"),
    path("invitations/", invitation_views.admin_invitations, name="invitations"),
    path(
        "invitations/<int:pk>/<str:action>/",
        invitation_views.admin_invitation_action,
        name="invitation_action",
    ),
    path("help/", material_views.help_page, name="help"),
    path("help/<int:pk>/", material_views.guide, name="guide"),
    path("checklist/<slug:slug>/", material_views.checklist_page, name="checklist"),
    path(
        "checklist/<slug:slug>/<slug:key>/",
        material_views.checklist_tick,
        name="checklist_tick",
    ),
    path("<slug:step>/", views.step, name="step"),
]
