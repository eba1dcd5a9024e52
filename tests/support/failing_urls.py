"""A URLconf with a view that fails, for the 500 page and error logging tests."""

from django.urls import include, path


def broken_view(request):
    raise RuntimeError("the portal broke on purpose")


urlpatterns = [
    path("broken/", broken_view),
    path("", include("diaspora_portal.urls")),
]

handler500 = "diaspora_portal.views.server_error"
