from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("", views.start, name="start"),
    path("submitted/", views.submitted, name="submitted"),
    path("<slug:step>/", views.step, name="step"),
]
