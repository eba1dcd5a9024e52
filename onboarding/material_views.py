"""The public help page with the guides, and the checklist of an approved organization."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import is_staff_session
from organizations.models import Organization
from organizations.roles import is_organization_member

from . import checklist
from .models import Guide


@require_safe
def help_page(request):
    language = translation.get_language() or "bs"
    guides = Guide.objects.filter(is_published=True)
    context = {
        "guides": [guide for guide in guides if guide.language == language],
        "other_guides": [guide for guide in guides if guide.language != language],
    }
    return render(request, "onboarding/help.html", context)


@require_safe
def guide(request, pk):
    found = get_object_or_404(Guide, pk=pk)
    if not found.is_published and not is_staff_session(request):
        raise Http404
    return render(request, "onboarding/guide.html", {"guide": found})


def _member_organization(request, slug):
    organization = get_object_or_404(Organization, slug=slug, status=Organization.Status.APPROVED)
    if not is_organization_member(request.user, organization):
        raise PermissionDenied
    return organization


@login_required
@require_safe
def checklist_page(request, slug):
    organization = _member_organization(request, slug)
    items = checklist.checklist(organization, language=translation.get_language() or "bs")
    context = {
        "organization": organization,
        "items": items,
        "done": sum(item["done"] for item in items),
    }
    return render(request, "onboarding/checklist.html", context)


@login_required
@require_POST
def checklist_tick(request, slug, key):
    organization = _member_organization(request, slug)
    if key not in checklist.TICKED_BY_MEMBERS:
        raise Http404
    checklist.mark_done(organization=organization, key=key, by=request.user)
    messages.success(request, _("Well done: the item is ticked."))
    return redirect("onboarding:checklist", slug=organization.slug)
