from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

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


@csrf_exempt
@require_POST
def switch_language(request):
    """The language switch: sets the language cookie (Django's set_language) and, for a signed-in
    person whose form carried their CSRF token, saves the choice as their preferred language, so
    it follows them to other devices and into their e-mails.

    Without a token for visitors: a page without one can be shared by every visitor
    (diaspora_portal/page_cache.py), and the cookie alone changes nothing but the language.
    """
    response = set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and _csrf_token_is_valid(request)
    ):
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response


def _csrf_token_is_valid(request) -> bool:
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {}) is None
