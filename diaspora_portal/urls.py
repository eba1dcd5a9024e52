from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/organizations/", include("organizations.staff_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("organizations/", include("organizations.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "diaspora_portal.views.bad_request"
handler403 = "diaspora_portal.views.permission_denied"
handler404 = "diaspora_portal.views.page_not_found"
handler500 = "diaspora_portal.views.server_error"
