"""Staff keep the institutions under /staff/institutions/: list, edit, remove, CSV import."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import staff_required

from . import csv_import, queries, services
from .forms import ImportForm, InstitutionForm
from .models import Institution


@staff_required
@require_safe
def institution_list(request):
    context = {"rows": list(queries.staff_institutions())}
    return render(request, "institutions/staff/list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk=None):
    institution = get_object_or_404(Institution, pk=pk) if pk else Institution()
    form = InstitutionForm(request.POST or None, instance=institution)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_institution(form=form, by=request.user)
            messages.success(request, _("The institution is saved."))
            return redirect("staff_institutions:list")
        status = 422
    history = []
    if institution.pk:
        history = list(institution.history.select_related("history_user")[:10])
    context = {"form": form, "institution": institution, "history": history}
    return render(request, "institutions/staff/form.html", context, status=status)


@staff_required
@require_POST
def institution_delete(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    services.delete_institution(institution=institution, by=request.user)
    messages.success(
        request, _("The institution %(name)s is removed.") % {"name": institution.name}
    )
    return redirect("staff_institutions:list")


def _import_page(request, *, form, report=None, token="", error="", status=200):
    context = {
        "form": form,
        "report": report,
        "token": token,
        "error": error,
        "columns": csv_import.COLUMNS,
    }
    return render(request, "institutions/staff/import.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def institution_import(request):
    """Upload a CSV file and see what it would do: a dry run that writes nothing."""
    if request.method == "GET":
        return _import_page(request, form=ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form=form, status=422)
    upload = form.cleaned_data["file"]
    try:
        # One byte more than allowed is enough to know the file is too large.
        raw = upload.read(csv_import.max_bytes() + 1)
        report, token = csv_import.dry_run(raw)
    except csv_import.BadFile as error:
        return _import_page(request, form=ImportForm(), error=str(error), status=400)
    return _import_page(request, form=ImportForm(), report=report, token=token)


@staff_required
@require_POST
def institution_import_confirm(request):
    """Import the rows of the checked file that have no problems."""
    try:
        report = csv_import.import_institutions(
            token=request.POST.get("token", ""), by=request.user
        )
    except csv_import.BadFile as error:
        return _import_page(request, form=ImportForm(), error=str(error), status=400)
    messages.success(
        request,
        _(
            "Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
            "%(skipped)s rows with problems skipped."
        )
        % {
            "created": report.count("create"),
            "updated": report.count("update"),
            "unchanged": report.count("unchanged"),
            "skipped": len(report.bad_rows),
        },
    )
    return redirect("staff_institutions:list")


@staff_required
@require_safe
def import_template(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="institutions-template.csv"'
    csv_import.write_template(response)
    return response
