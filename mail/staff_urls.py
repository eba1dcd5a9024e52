from django.urls import path

from . import views

app_name = "staff_mail"

urlpatterns = [
    path("failed/", views.failed_list, name="failed"),
    path("failed/retry/", views.retry_all, name="retry_all"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
