from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.roles import staff_required

from . import health


@require_safe
def home(request):
    # The sections fill as the meetings and onboarding apps arrive.
    return render(request, "home.html")


@never_cache
@require_safe
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


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
    return render(request, "404.html", status=404)


def server_error(request):
    # Without context processors: they may be what failed.
    return HttpResponse(get_template("500.html").render({"request": request}), status=500)
