from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.detail, name="detail"),
]

# An organization's own pages for its members and admins.
from . import manage_views  # noqa: E402 - kept beside its patterns to keep merges apart

urlpatterns += [
    path("<slug:slug>/manage/", manage_views.home, name="manage"),
    path("<slug:slug>/manage/edit/", manage_views.edit, name="manage_edit"),
    path("<slug:slug>/manage/confirm/", manage_views.confirm, name="manage_confirm"),
    path("<slug:slug>/manage/members/", manage_views.members, name="manage_members"),
    path("<slug:slug>/manage/members/invite/", manage_views.invite, name="manage_invite"),
    path(
        "<slug:slug>/manage/members/<int:pk>/role/",
        manage_views.member_role,
        name="manage_member_role",
    ),
    path(
        "<slug:slug>/manage/members/<int:pk>/remove/",
        manage_views.member_remove,
        name="manage_member_remove",
    ),
    path("<slug:slug>/manage/join/<str:token>/", manage_views.join, name="manage_join"),
]
