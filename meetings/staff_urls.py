"""Staff pages of meetings, mounted at /staff/meetings/ (the staff rule covers the whole path)."""

from django.urls import path

from . import series_views
from . import staff_views as views

app_name = "staff_meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("archive/import/", series_views.archive_import, name="archive_import"),
    path("series/<int:series_pk>/", series_views.series_detail, name="series"),
    path(
        "series/<int:series_pk>/liaisons/",
        series_views.series_liaison_add,
        name="series_liaison_add",
    ),
    path(
        "series/<int:series_pk>/liaisons/<int:liaison_pk>/remove/",
        series_views.series_liaison_remove,
        name="series_liaison_remove",
    ),
    path("actions/", views.open_actions, name="actions"),
    path("actions/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/status/<slug:action>/", views.meeting_status, name="status"),
    path("<int:pk>/next/", series_views.schedule_next, name="next"),
    path("<int:pk>/nudge/", views.meeting_nudge, name="nudge"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/invitations/", views.invite, name="invite"),
    path("<int:pk>/invitations/preview/", series_views.invite_preview, name="invite_preview"),
    path("<int:pk>/invitations/counts/", views.invitation_counts, name="invitation_counts"),
    path("<int:pk>/liaisons/", views.liaison_add, name="liaison_add"),
    path("<int:pk>/liaisons/<int:liaison_pk>/remove/", views.liaison_remove, name="liaison_remove"),
    path("<int:pk>/attendance/", views.attendance_add, name="attendance_add"),
    path(
        "<int:pk>/attendance/<int:attendance_pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<int:pk>/minutes/publish/", views.minutes_publish, name="publish"),
    path("<int:pk>/minutes/withdraw/", views.minutes_withdraw, name="withdraw"),
    path("<int:pk>/minutes/decisions/", views.decision_add, name="decision_add"),
    path(
        "<int:pk>/minutes/decisions/<int:decision_pk>/remove/",
        views.decision_remove,
        name="decision_remove",
    ),
    path("<int:pk>/minutes/actions/", views.action_add, name="action_add"),
    path(
        "<int:pk>/minutes/actions/<int:action_pk>/remove/",
        views.action_remove,
        name="action_remove",
    ),
]
