from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .forms import ProfileForm
from .roles import can_add_second_factor, has_mfa, leads_to_staff_area
from .services import send_address_verification


@login_required
@require_http_methods(["GET", "POST"])
def overview(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            translation.activate(user.language)
            messages.success(request, _("Your settings have been saved."))
            response = redirect("account_overview")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
            return response
        status = 422
    else:
        status = 200
    context = {
        "form": form,
        "has_mfa": has_mfa(request.user),
        "leads_to_staff_area": leads_to_staff_area(request),
    }
    return render(request, "accounts/overview.html", context, status=status)


@login_required
@require_safe
def continue_after_login(request):
    # Staff go on to their area, whose gate leads through any missing step; others go home.
    if leads_to_staff_area(request):
        return redirect("staff_dashboard")
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def verify_email_first(request):
    """Offer the verification e-mail to a user who must verify an address before going on."""
    if has_mfa(request.user) or can_add_second_factor(request.user):
        return redirect("account_continue")
    if request.method == "POST":
        send_address_verification(request=request, user=request.user)
        return redirect("account_verify_email_first")
    return render(request, "accounts/verify_email_first.html")
