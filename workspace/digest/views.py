"""The weekly digest switch of the organizations a person administers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from organizations.models import Membership, Organization
from organizations.roles import is_organization_admin

from ..channels.views import approved_organization
from . import services as digest
from .forms import DigestPreferenceForm
from .models import DigestPreference


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
    return render(request, "workspace/digest_settings.html", {"rows": rows})


@login_required
@require_POST
def digest_preference(request, slug):
    organization = approved_organization(slug)
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
