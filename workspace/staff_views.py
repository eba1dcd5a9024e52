"""The ministry's side of the workspace, under /staff/workspace/."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.reauthentication import both_factors_required
from accounts.roles import staff_required
from core import audit, pages
from core.csv_export import csv_response

from . import queries, services
from .forms import HideForm, RejectFocalPointForm
from .models import FocalPoint, ModerationEntry, Post
from .views import _detail_context, add_service_error

STAFF_PER_PAGE = 50


def _stage(request) -> str:
    stage = request.GET.get("stage", "")
    return stage if stage in Post.Stage.values else ""


@staff_required
@require_safe
def pipeline(request):
    """Every project idea and call with its partners and stage: the project pipeline."""
    stage = _stage(request)
    page, page_error = pages.requested_page(request, queries.pipeline(stage), STAFF_PER_PAGE)
    context = {"page": page, "page_error": page_error, "stage": stage, "stages": Post.Stage.choices}
    status = 422 if page_error else 200
    return render(request, "workspace/staff/pipeline.html", context, status=status)


@staff_required
@require_safe
@both_factors_required
def pipeline_export(request):
    posts = queries.pipeline(_stage(request))
    response = csv_response("projects")
    services.write_pipeline_csv(posts, response)
    audit.record(request, audit.Action.CSV_EXPORT)
    return response


def _focal_points_page(request, *, reject_form=None, rejecting=None, status=200):
    # The applicants' names and addresses are private contact data, on every rendering.
    audit.record(request, audit.Action.VIEW_CONTACTS)
    points = FocalPoint.objects.select_related("user", "decided_by").order_by(
        "status", "-created_at"
    )
    context = {
        "pending": [p for p in points if p.status == FocalPoint.Status.PENDING],
        "decided": [p for p in points if p.status != FocalPoint.Status.PENDING],
        "reject_form": reject_form,
        "rejecting": rejecting,
    }
    return render(request, "workspace/staff/focal_points.html", context, status=status)


@staff_required
@require_safe
def focal_points(request):
    return _focal_points_page(request)


@staff_required
@require_POST
def focal_point_approve(request, pk):
    point = get_object_or_404(FocalPoint, pk=pk)
    try:
        services.approve_focal_point(point=point, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(municipality)s can now post calls from the homeland.")
            % {"municipality": point.municipality},
        )
    return redirect("staff_workspace:focal_points")


@staff_required
@require_POST
def focal_point_reject(request, pk):
    point = get_object_or_404(FocalPoint, pk=pk)
    form = RejectFocalPointForm(request.POST, prefix=f"reject-{pk}")
    if not form.is_valid():
        return _focal_points_page(request, reject_form=form, rejecting=point.pk, status=422)
    try:
        services.reject_focal_point(point=point, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application is rejected; the applicant is told why."))
    return redirect("staff_workspace:focal_points")


@staff_required
@require_safe
def moderation_log(request):
    entries = ModerationEntry.objects.select_related("post", "by").order_by("-created_at", "-pk")
    page, page_error = pages.requested_page(request, entries, STAFF_PER_PAGE)
    context = {"page": page, "page_error": page_error}
    status = 422 if page_error else 200
    return render(request, "workspace/staff/moderation.html", context, status=status)


@staff_required
@require_POST
def moderate(request, pk, action):
    post = get_object_or_404(Post, pk=pk)
    service = {
        "pin": services.pin_post,
        "unpin": services.unpin_post,
        "show": services.show_post,
    }[action]
    try:
        service(post=post, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done. The change is in the moderation log."))
    return redirect(post)


@staff_required
@require_POST
def hide(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The post is hidden; its author sees your reason."))
            return redirect(post)
    post = queries.post_page(pk)
    return render(
        request, "workspace/detail.html", _detail_context(request, post, hide_form=form), status=422
    )
