from django.urls import path

from . import staff_views

app_name = "staff_institutions"

urlpatterns = [
    path("", staff_views.institution_list, name="list"),
    path("new/", staff_views.institution_edit, name="new"),
    path("import/", staff_views.institution_import, name="import"),
    path("import/confirm/", staff_views.institution_import_confirm, name="import_confirm"),
    path("import/template.csv", staff_views.import_template, name="import_template"),
    path("<int:pk>/", staff_views.institution_edit, name="edit"),
    path("<int:pk>/delete/", staff_views.institution_delete, name="delete"),
]
