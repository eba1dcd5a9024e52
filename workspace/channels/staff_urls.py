from django.urls import path

from . import staff_views as channel_staff_views

app_name = "staff_workspace_channels"

urlpatterns = [
    path("", channel_staff_views.channel_list, name="list"),
    path("new/", channel_staff_views.channel_edit, name="new"),
    path("<int:pk>/", channel_staff_views.channel_edit, name="edit"),
    path("<int:pk>/delete/", channel_staff_views.channel_delete, name="delete"),
]
