from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.board, name="board"),
    path("posts/<int:pk>/", views.detail, name="detail"),
    path("posts/<int:pk>/files/<str:token>/", views.attachment, name="attachment"),
]
