"""The privacy notice, and a user's own data: a copy, erasure, an organization's copy."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.reauthentication import both_factors_required
from accounts.roles import needs_staff_care
from organizations.models import Organization
from organizations.roles import check_organization_admin

from . import queries, services
from .forms import EraseAccountForm
from .notice import CURRENT_VERSION, VERSIONS, notice_template, retention_periods


@require_safe
def notice(request, version=None):
    version = version or CURRENT_VERSION
    if version not in VERSIONS:
        raise Http404
    from django.conf import settings

    context = {
        "version": version,
        "version_date": VERSIONS[version],
        "is_current": version == CURRENT_VERSION,
        "notice_template": notice_template(version).template.name,
        "retention": retention_periods(),
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
    }
    return render(request, "privacy/notice.html", context)


@login_required
@require_safe
def my_data(request):
    context = {
        "consents": queries.consents_of(request.user),
        "exports": queries.exports_of(request.user),
    }
    return render(request, "privacy/my_data.html", context)


@login_required
@require_POST
def request_export(request):
    services.request_user_export(request=request, user=request.user, by=request.user)
    messages.success(
        request,
        _("Your copy is being prepared. We will e-mail you a download link in a few minutes."),
    )
    return redirect("privacy:my_data")


@login_required
@require_POST
def request_organization_export(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    check_organization_admin(request.user, organization)
    services.request_organization_export(
        request=request, organization=organization, by=request.user
    )
    messages.success(
        request,
        _("The organization's copy is being prepared. We will e-mail you a download link."),
    )
    return redirect("organizations:manage", slug=organization.slug)


@never_cache
@login_required
@require_safe
@both_factors_required(when=needs_staff_care)
def download(request, token):
    try:
        content, filename = services.take_export_download(request=request, token=token)
    except ValidationError as error:
        return render(
            request, "privacy/link_expired.html", {"error": error.messages[0]}, status=410
        )
    except services.NoLongerAdmin as refusal:
        return render(request, "privacy/link_expired.html", {"error": refusal.args[0]}, status=403)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
@both_factors_required(methods=("POST",), when=needs_staff_care)
def erase_account(request):
    """Erase the signed-in user's account; allauth asks for the password again first."""
    if request.user.is_superuser:
        messages.error(request, _("A superuser's account is erased in the Django admin."))
        return redirect("privacy:my_data")
    form = EraseAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            services.erase_user(request=request, user=user, by=user)
            logout(request)
            messages.success(request, _("Your account and your personal data have been erased."))
            return redirect("home")
        status = 422
    else:
        status = 200
    context = {
        "form": form,
        "sole_admin_of": services.organizations_left_without_admin(request.user),
    }
    return render(request, "privacy/erase.html", context, status=status)
