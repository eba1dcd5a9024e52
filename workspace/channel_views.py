"""The community channels page and the weekly digest preference of an organization."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import is_organization_admin, is_organization_member, is_staff_session
from organizations.models import Membership, Organization

from . import channels, digest
from .channel_forms import DigestPreferenceForm
from .models import DigestPreference


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


def _approved_organization(request, slug) -> Organization:
    return get_object_or_404(Organization, slug=slug, status=Organization.Status.APPROVED)


@login_required
@require_POST
def mark_joined(request, slug):
    organization = _approved_organization(request, slug)
    if not is_organization_member(request.user, organization):
        raise PermissionDenied
    channels.mark_joined(organization=organization, by=request.user)
    messages.success(
        request,
        _("Noted: %(organization)s has joined the community channel.")
        % {"organization": organization.name},
    )
    return redirect("workspace:channels")


@login_required
@require_safe
def digest_settings(request):
    memberships = list(
        Membership.objects.filter(
            user=request.user,
            role=Membership.Role.ADMIN,
            organization__status=Organization.Status.APPROVED,
        )
        .select_related("organization", "organization__digest_preference")
        .order_by("organization__name", "pk")
    )
    rows = []
    for membership in memberships:
        organization = membership.organization
        try:
            receives = organization.digest_preference.receives_digest
        except DigestPreference.DoesNotExist:
            receives = True
        form = DigestPreferenceForm(
            initial={"receives_digest": receives}, prefix=f"org{organization.pk}"
        )
        rows.append({"organization": organization, "form": form, "receives": receives})
    return render(request, "workspace/channels/digest_settings.html", {"rows": rows})


@login_required
@require_POST
def digest_preference(request, slug):
    organization = _approved_organization(request, slug)
    if not is_organization_admin(request.user, organization):
        raise PermissionDenied
    form = DigestPreferenceForm(request.POST, prefix=f"org{organization.pk}")
    form.is_valid()  # a checkbox: every input is valid, absent means off
    receives = form.cleaned_data.get("receives_digest", False)
    digest.set_digest_preference(
        organization=organization, receives_digest=receives, by=request.user
    )
    if receives:
        message = _("%(organization)s receives the weekly digest.")
    else:
        message = _("%(organization)s no longer receives the weekly digest.")
    messages.success(request, message % {"organization": organization.name})
    return redirect("workspace:digest_settings")
