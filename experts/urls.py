from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("me/", views.me, name="me"),
    path("me/hide/", views.hide, name="hide"),
    path("me/delete/", views.delete, name="delete"),
    path("<int:pk>/contact/", views.contact, name="contact"),
]
