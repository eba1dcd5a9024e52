"""The staff's onboarding page: invitations and the funnel, under /staff/onboarding/."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import staff_required
from core import audit

from . import checklist, funnel
from .forms import GuideForm, InvitationForm
from .invitation_views import _act, _handle_invite
from .models import Guide, Invitation


@staff_required
@require_http_methods(["GET", "POST"])
def overview(request):
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _handle_invite(request, form=form, by=request.user)
        if status is None:
            return redirect("staff_onboarding:overview")
    return _overview(request, form=form, status=status)


def _overview(request, *, form=None, status=200):
    # Invitees' addresses and the registrants' accounts, on every rendering of the page.
    audit.record(request, audit.Action.VIEW_CONTACTS)
    context = {
        "form": form or InvitationForm(),
        "channels_page": checklist.channels_page(),
        "invitations": Invitation.objects.select_related("inviting_organization")[:100],
        "staff": True,
        "funnel": funnel.funnel(),
        "stalled": list(funnel.stalled_registrations()[:100]),
        "stalled_days": settings.ONBOARDING_STALLED_DAYS,
    }
    return render(request, "onboarding/staff/overview.html", context, status=status)


@staff_required
@require_POST
def invitation_action(request, pk, action):
    invitation = get_object_or_404(Invitation, pk=pk)
    status = _act(request, invitation, action)
    if status is not None:
        return _overview(request, status=status)
    return redirect("staff_onboarding:overview")


@staff_required
@require_safe
def guide_list(request):
    return render(request, "onboarding/staff/guides.html", {"rows": Guide.objects.all()})


@staff_required
@require_http_methods(["GET", "POST"])
def guide_edit(request, pk=None):
    guide = get_object_or_404(Guide, pk=pk) if pk else Guide()
    form = GuideForm(request.POST or None, request.FILES or None, instance=guide)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic(durable=True):
                form.save()
            messages.success(request, _("The guide is saved."))
            return redirect("staff_onboarding:guides")
        status = 422
    context = {"form": form, "guide": guide}
    return render(request, "onboarding/staff/guide_form.html", context, status=status)
