from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

from . import views

# One login door: the admin sends visitors to allauth's login (password, then second factor)
# instead of taking a password alone. accounts.middleware refuses /admin/ to any session that
# has not passed the second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("manifest.<str:language>.webmanifest", views.web_manifest, name="web_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline_page, name="offline"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/outbox/", include("mail.staff_urls")),
    path("staff/organizations/", include("organizations.staff_urls")),
    path("staff/meetings/", include("meetings.staff_urls")),
    # The language switch: a cookie for everyone, the preferred language for signed-in people.
    path("i18n/setlang/", account_views.switch_language, name="set_language"),
    path("organizations/", include("organizations.urls")),
    path("meetings/", include("meetings.urls")),
    path("staff/onboarding/", include("onboarding.staff_urls")),
    path("staff/workspace/", include("workspace.staff_urls")),
    path("onboarding/", include("onboarding.urls")),
    path("staff/workspace/channels/", include("workspace.channels.staff_urls")),
    path("staff/institutions/", include("institutions.staff_urls")),
    path("institutions/", include("institutions.urls")),
    path("workspace/", include("workspace.urls")),
    path("staff/experts/", include("experts.staff_urls")),
    path("experts/", include("experts.urls")),
    path("privacy/", include("privacy.urls")),
    path("staff/privacy/", include("privacy.staff_urls")),
    path("open-data/", include("opendata.urls")),
    path("staff/open-data/", include("opendata.staff_urls")),
    path("staff/insights/", include("insights.urls")),
    path("api/", include("diaspora_portal.api_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("media/<path:path>", views.media_file, name="media"),
]

handler400 = "diaspora_portal.views.bad_request"
handler403 = "diaspora_portal.views.permission_denied"
handler404 = "diaspora_portal.views.page_not_found"
handler500 = "diaspora_portal.views.server_error"
