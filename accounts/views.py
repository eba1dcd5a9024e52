from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm
from .roles import has_mfa, is_ministry_staff


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
        "is_ministry_staff": is_ministry_staff(request.user),
    }
    return render(request, "accounts/overview.html", context, status=status)
