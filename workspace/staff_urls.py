from django.urls import path

from . import staff_views as views

app_name = "staff_workspace"

urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("pipeline.csv", views.pipeline_export, name="export"),
    path("focal-points/", views.focal_points, name="focal_points"),
    path("focal-points/<int:pk>/approve/", views.focal_point_approve, name="focal_point_approve"),
    path("focal-points/<int:pk>/reject/", views.focal_point_reject, name="focal_point_reject"),
    path("moderation/", views.moderation_log, name="moderation"),
    path("posts/<int:pk>/pin/", views.moderate, {"action": "pin"}, name="pin"),
    path("posts/<int:pk>/unpin/", views.moderate, {"action": "unpin"}, name="unpin"),
    path("posts/<int:pk>/show/", views.moderate, {"action": "show"}, name="show"),
    path("posts/<int:pk>/hide/", views.hide, name="hide"),
]
