from django.urls import path

from . import staff_views as views

app_name = "staff_organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("export.csv", views.organization_export, name="export"),
    path("review/", views.review_queue, name="queue"),
    path("areas/", views.area_list, name="areas"),
    path("areas/new/", views.area_edit, name="area_new"),
    path("areas/<int:pk>/", views.area_edit, name="area_edit"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/history/", views.organization_history_view, name="history"),
    path("<int:pk>/approve/", views.organization_approve, name="approve"),
    path("<int:pk>/reject/", views.organization_reject, name="reject"),
    path("<int:pk>/archive/", views.organization_archive, name="archive"),
    path("<int:pk>/restore/", views.organization_restore, name="restore"),
    path("<int:pk>/verify/", views.organization_verify, name="verify"),
    path("<int:pk>/confirm/", views.organization_confirm, name="confirm"),
]
