"""The staff's onboarding page: invitations and the funnel, under /staff/onboarding/."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import staff_required

from .forms import InvitationForm
from .invitation_views import _act, _handle_invite
from .models import Invitation


@staff_required
@require_http_methods(["GET", "POST"])
def overview(request):
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _handle_invite(request, form=form, by=request.user)
        if status is None:
            return redirect("staff_onboarding:overview")
    context = {
        "form": form,
        "invitations": Invitation.objects.select_related("inviting_organization")[:100],
        "staff": True,
    }
    return render(request, "onboarding/staff/overview.html", context, status=status)


@staff_required
@require_POST
def invitation_action(request, pk, action):
    invitation = get_object_or_404(Invitation, pk=pk)
    _act(request, invitation, action)
    return redirect("staff_onboarding:overview")
