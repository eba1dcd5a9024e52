"""The community channels page and "we joined"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import is_staff_session
from organizations.models import Membership, Organization
from organizations.roles import is_organization_member

from . import services as channels


@require_safe
def channel_list(request):
    memberships = channels.approved_memberships(request.user)
    joined = channels.organizations_that_joined(memberships)
    context = {
        "groups": channels.grouped_channels(list(channels.channels())),
        "show_links": channels.may_see_join_links(memberships, staff=is_staff_session(request)),
        "memberships": memberships,
        "not_joined": [m for m in memberships if m.organization_id not in joined],
        "joined": [m for m in memberships if m.organization_id in joined],
        "is_admin": any(m.role == Membership.Role.ADMIN for m in memberships),
    }
    return render(request, "workspace/channels/list.html", context)


def approved_organization(slug) -> Organization:
    return get_object_or_404(Organization, slug=slug, status=Organization.Status.APPROVED)


@login_required
@require_POST
def mark_joined(request, slug):
    organization = approved_organization(slug)
    if not is_organization_member(request.user, organization):
        raise PermissionDenied
    channels.mark_joined(organization=organization, by=request.user)
    messages.success(
        request,
        _("Noted: %(organization)s has joined the community channel.")
        % {"organization": organization.name},
    )
    return redirect("workspace:channels")
