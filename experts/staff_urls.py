from django.urls import path

from . import staff_views

app_name = "staff_experts"

urlpatterns = [
    path("", staff_views.expert_list, name="list"),
    path("fields/", staff_views.expertise_list, name="fields"),
    path("fields/new/", staff_views.expertise_edit, name="field_new"),
    path("fields/<int:pk>/", staff_views.expertise_edit, name="field_edit"),
    path("<int:pk>/", staff_views.expert_detail, name="detail"),
    path("<int:pk>/invite/", staff_views.invite, name="invite"),
    path("<int:pk>/invite/<slug:target>/", staff_views.invite_to, name="invite_to"),
]
