"""Staff pages for personal data, under /staff/privacy/."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.reauthentication import both_factors_required
from accounts.roles import staff_required
from core import audit, pages

from . import queries, services
from .forms import AuditFilter, StaffErasureForm, UserByEmailForm

AUDIT_PER_PAGE = 50


def _overview(request, *, erase_form=None, export_form=None, status=200):
    # The recent copies name who asked for them, by address.
    audit.record(request, audit.Action.VIEW_CONTACTS)
    context = {
        "erase_form": erase_form or StaffErasureForm(prefix="erase", by=request.user),
        "export_form": export_form or UserByEmailForm(prefix="export"),
        "orphaned": queries.organizations_without_admin(),
        "exports": queries.recent_exports(),
    }
    return render(request, "privacy/staff/overview.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
@both_factors_required(methods=("POST",))
def overview(request):
    if request.method != "POST":
        return _overview(request)
    if "erase-email" in request.POST:
        form = StaffErasureForm(request.POST, prefix="erase", by=request.user)
        if not form.is_valid():
            return _overview(request, erase_form=form, status=422)
        user_id = services.erase_user(request=request, user=form.user, by=request.user)
        messages.success(
            request,
            _("Account #%(id)s and its personal data have been erased.") % {"id": user_id},
        )
        return redirect("staff_privacy:overview")
    form = UserByEmailForm(request.POST, prefix="export")
    if not form.is_valid():
        return _overview(request, export_form=form, status=422)
    services.request_user_export(request=request, user=form.user, by=request.user)
    messages.success(request, _("The copy is being prepared; the link will come to your e-mail."))
    return redirect("staff_privacy:overview")


@staff_required
@require_safe
def audit_log(request):
    filterset = AuditFilter(request.GET or None, queryset=queries.audit_entries())
    status = 200 if filterset.is_bound is False or filterset.form.is_valid() else 422
    entries = filterset.qs if status == 200 else queries.audit_entries().none()
    page, page_error = pages.requested_page(request, entries, AUDIT_PER_PAGE)
    context = {
        "filter": filterset,
        "page": page,
        "page_error": page_error,
        "retention_days": settings.PRIVACY_AUDIT_RETENTION_DAYS,
    }
    status = 422 if page_error else status
    return render(request, "privacy/staff/audit.html", context, status=status)
