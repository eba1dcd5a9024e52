from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="account_overview"),
    path("continue/", views.continue_after_login, name="account_continue"),
    path("verify-email/", views.verify_email_first, name="account_verify_email_first"),
]
