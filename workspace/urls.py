from django.urls import path

from . import channel_views, views

app_name = "workspace"

urlpatterns = [
    path("", views.board, name="board"),
    path("posts/<int:pk>/", views.detail, name="detail"),
    path("posts/<int:pk>/files/<str:token>/", views.attachment, name="attachment"),
    path("channels/", channel_views.channel_list, name="channels"),
    path("channels/joined/<slug:slug>/", channel_views.mark_joined, name="channel_joined"),
    path("digest/", channel_views.digest_settings, name="digest_settings"),
    path("digest/<slug:slug>/", channel_views.digest_preference, name="digest_preference"),
]
