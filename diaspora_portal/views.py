import posixpath

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

from accounts.roles import staff_required
from core import offline
from meetings import queries as meeting_queries

from . import health


@require_safe
def home(request):
    context = {
        # lazy: read inside the page's cached fragments, only when they are built
        "upcoming_meetings": meeting_queries.upcoming_meetings()[:3],
        "latest_summaries": meeting_queries.latest_summaries(limit=3),
        "language": get_language(),
    }
    return render(request, "home.html", context)


@require_safe
def ping(request):
    """The cheapest page: the whole middleware stack and nothing else (the benchmark's floor)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request):
    """Readiness for load balancers: 503 only when the database is down.

    Without the broker or the cache the portal still serves pages and the outbox keeps the
    e-mails, so a broker outage must not take every web node out of the load balancer.
    """
    checks = health.run_checks()
    if not checks["database"]:
        status, code = "unavailable", 503
    elif all(checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


@staff_required
@require_safe
def staff_dashboard(request):
    return render(request, "staff/dashboard.html")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # API clients read JSON, as the schema documents for every 404.
        return JsonResponse({"detail": str(_("Not found."))}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    # Without context processors: they may be what failed.
    return HttpResponse(get_template("500.html").render({"request": request}), status=500)


@require_safe
def media_file(request, path):
    """Serve an uploaded file (logos, re-encoded as PNG on upload) from MEDIA_ROOT.

    Uploads are few and small, so the app serves them itself in every run mode; a proxy in front
    may serve the same folder instead. ``serve`` refuses paths outside MEDIA_ROOT.
    """
    # Files under private/ (the workspace's attachments) are served by their app's own view,
    # which checks who may see the post they belong to.
    if posixpath.normpath("/" + path).lstrip("/").split("/")[0] == "private":
        raise Http404
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def web_manifest(request, language):
    """The web app manifest in one interface language (browsers fetch it without cookies, so
    the language is in its address, taken from the page that links it)."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        data = offline.manifest(
            home_url=reverse("home"),
            name=_("Diaspora Portal"),
            short_name=_("Diaspora"),
            description=_(
                "The meeting place of the BiH Ministry for Human Rights and Refugees and "
                "diaspora organizations."
            ),
            language=language,
        )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def service_worker(request):
    """The service worker, from the site root so its scope is the whole site; checked for an
    update on every visit (no-cache), its cache version taken from the static files."""
    source = offline.service_worker_source(reverse("offline"))
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline_page(request):
    """Shown by the service worker for a page that was not kept for offline reading. The same
    for every visitor (no account menu, no form), so it is always kept."""
    return offline.mark_offline(render(request, "offline.html"))
