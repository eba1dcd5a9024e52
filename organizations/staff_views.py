"""The ministry staff's side of the registry, under /staff/organizations/."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.reauthentication import both_factors_required
from accounts.roles import staff_required
from core import audit, pages
from core.csv_export import csv_response

from . import services
from .editor import ProfileEditor
from .filters import StaffOrganizationFilter
from .forms import ArchiveForm, AreaForm, RejectForm, StaffOrganizationForm
from .history import organization_history
from .models import Area, Organization
from .staff_rows import LIST_FIELDS, REVIEW_FIELDS, organization_rows, review_rows

STAFF_PER_PAGE = 50


def _staff_organizations():
    return Organization.objects.order_by("name", "pk")


def _stale_before():
    return timezone.now() - timedelta(days=settings.ORGANIZATION_FRESHNESS_DAYS)


@staff_required
@require_safe
def organization_list(request):
    filterset = StaffOrganizationFilter(request.GET or None, queryset=_staff_organizations())
    valid = not filterset.is_bound or filterset.form.is_valid()  # invalid filters: left out
    shown = filterset.qs.values(*LIST_FIELDS)
    page, page_error = pages.requested_page(request, shown, STAFF_PER_PAGE)
    rows = organization_rows(page.object_list, stale_before=_stale_before())
    context = {
        "filter": filterset,
        "page": page,
        "page_error": page_error,
        "organization_rows": rows,
    }
    status = 200 if valid and not page_error else 422
    return render(request, "organizations/staff/list.html", context, status=status)


@staff_required
@require_safe
@both_factors_required
def organization_export(request):
    filterset = StaffOrganizationFilter(request.GET or None, queryset=_staff_organizations())
    organizations = filterset.qs.prefetch_related("areas").iterator(chunk_size=500)
    audit.record(request, audit.Action.CSV_EXPORT)
    response = csv_response("organizations")
    services.write_organizations_csv(organizations, response)
    return response


@staff_required
@require_safe
def review_queue(request):
    pending = (
        Organization.objects.filter(status=Organization.Status.PENDING)
        .values(*REVIEW_FIELDS)
        .order_by("updated_at", "pk")
    )
    page, page_error = pages.requested_page(request, pending, STAFF_PER_PAGE)
    rows = review_rows(page.object_list)
    context = {"page": page, "page_error": page_error, "organization_rows": rows}
    status = 422 if page_error else 200
    return render(request, "organizations/staff/queue.html", context, status=status)


def _detail_context(organization, **forms):
    return {
        "organization": organization,
        "duplicates": services.similar_organizations(
            name=organization.name, country=organization.country.code, exclude_pk=organization.pk
        ),
        "channels": list(organization.channels.all()),
        "contacts": list(organization.contacts.all()),
        "memberships": list(organization.memberships.select_related("user")),
        "areas": list(organization.areas.all()),
        "reject_form": forms.get("reject_form") or RejectForm(prefix="reject"),
        "archive_form": forms.get("archive_form") or ArchiveForm(prefix="archive"),
        "can": {
            status: services.can_change_status(organization, status)
            for status in Organization.Status.values
        },
        "is_stale": organization.last_confirmed_at < _stale_before(),
    }


def _organization(pk):
    return get_object_or_404(Organization.objects.select_related("verified_by"), pk=pk)


@staff_required
@require_safe
def organization_detail(request, pk):
    organization = _organization(pk)
    # The page lists the private contact persons and the members' addresses.
    audit.record(request, audit.Action.VIEW_CONTACTS, organization)
    return render(request, "organizations/staff/detail.html", _detail_context(organization))


def _transition(request, organization, action, success):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("staff_organizations:detail", pk=organization.pk)


@staff_required
@require_POST
def organization_approve(request, pk):
    organization = _organization(pk)
    return _transition(
        request,
        organization,
        lambda: services.approve_organization(organization=organization, by=request.user),
        _("The organization is approved and listed. Its admins are informed by e-mail."),
    )


@staff_required
@require_POST
def organization_reject(request, pk):
    organization = _organization(pk)
    form = RejectForm(request.POST, prefix="reject")
    if not form.is_valid():
        context = _detail_context(organization, reject_form=form)
        return render(request, "organizations/staff/detail.html", context, status=422)
    return _transition(
        request,
        organization,
        lambda: services.reject_organization(
            organization=organization, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The organization is rejected. Its admins receive the reason by e-mail."),
    )


@staff_required
@require_POST
def organization_archive(request, pk):
    organization = _organization(pk)
    form = ArchiveForm(request.POST, prefix="archive")
    if not form.is_valid():
        context = _detail_context(organization, archive_form=form)
        return render(request, "organizations/staff/detail.html", context, status=422)
    return _transition(
        request,
        organization,
        lambda: services.archive_organization(
            organization=organization, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The organization is archived and no longer listed."),
    )


@staff_required
@require_POST
def organization_restore(request, pk):
    organization = _organization(pk)
    return _transition(
        request,
        organization,
        lambda: services.restore_organization(organization=organization, by=request.user),
        _("The organization is restored."),
    )


@staff_required
@require_POST
def organization_verify(request, pk):
    organization = _organization(pk)
    return _transition(
        request,
        organization,
        lambda: services.mark_documents_checked(organization=organization, by=request.user),
        _("The documents are marked as checked."),
    )


@staff_required
@require_POST
def organization_confirm(request, pk):
    organization = _organization(pk)
    return _transition(
        request,
        organization,
        lambda: services.confirm_current(organization=organization, by=request.user),
        _("The profile is confirmed as current."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = _organization(pk)
    editor = ProfileEditor(request, organization=organization, form_class=StaffOrganizationForm)
    status = 200
    if editor.is_saving:
        if editor.is_valid():
            services.save_profile(form=editor.form, formsets=editor.formsets, by=request.user)
            messages.success(request, _("The profile is saved."))
            return redirect("staff_organizations:detail", pk=organization.pk)
        status = 422
    context = {
        "organization": organization,
        "editor": editor,
        "duplicates": services.similar_organizations(
            name=editor.form["name"].value() or organization.name,
            country=editor.form["country"].value() or organization.country.code,
            exclude_pk=organization.pk,
        ),
        "action": request.path,
    }
    template = "organizations/manage/_editor.html" if request.htmx else None
    # The contacts' forms are in the page, its htmx fragment and the page with errors alike.
    audit.record(request, audit.Action.VIEW_CONTACTS, organization)
    response = render(request, template or "organizations/staff/edit.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
@require_safe
def organization_history_view(request, pk):
    organization = _organization(pk)
    # The history shows every former version of the contact persons.
    audit.record(request, audit.Action.VIEW_CONTACTS, organization)
    context = {"organization": organization, "entries": organization_history(organization)}
    return render(request, "organizations/staff/history.html", context)


# --- Areas of activity ------------------------------------------------------------------------


@staff_required
@require_safe
def area_list(request):
    return render(request, "organizations/staff/areas.html", {"rows": Area.objects.all()})


@staff_required
@require_http_methods(["GET", "POST"])
def area_edit(request, pk=None):
    area = get_object_or_404(Area, pk=pk) if pk else Area()
    form = AreaForm(request.POST or None, instance=area)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The area of activity is saved."))
            return redirect("staff_organizations:areas")
        status = 422
    return render(
        request, "organizations/staff/area_form.html", {"form": form, "area": area}, status=status
    )
