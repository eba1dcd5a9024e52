from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="account_overview"),
]
