from django.urls import path

from . import views
from .channels import views as channel_views
from .digest import views as digest_views

app_name = "workspace"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.new, name="new"),
    path("homeland/", views.focal_point, name="focal_point"),
    path("posts/<int:pk>/", views.detail, name="detail"),
    path("posts/<int:pk>/edit/", views.edit, name="edit"),
    path("posts/<int:pk>/interest/", views.interest, name="interest"),
    path(
        "posts/<int:pk>/interests/<int:interest_pk>/accept/",
        views.interest_answer,
        {"answer": "accept"},
        name="interest_accept",
    ),
    path(
        "posts/<int:pk>/interests/<int:interest_pk>/decline/",
        views.interest_answer,
        {"answer": "decline"},
        name="interest_decline",
    ),
    path("posts/<int:pk>/stage/", views.stage, name="stage"),
    path("posts/<int:pk>/close/", views.close, {"action": "close"}, name="close"),
    path("posts/<int:pk>/reopen/", views.close, {"action": "reopen"}, name="reopen"),
    path("posts/<int:pk>/files/<str:token>/", views.attachment, name="attachment"),
    path(
        "posts/<int:pk>/files/<str:token>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("channels/", channel_views.channel_list, name="channels"),
    path("channels/joined/<slug:slug>/", channel_views.mark_joined, name="channel_joined"),
    path("digest/", digest_views.digest_settings, name="digest_settings"),
    path("digest/<slug:slug>/", digest_views.digest_preference, name="digest_preference"),
]
