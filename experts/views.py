"""The roster for the people on it and for members: one's own listing, the members' page and
the contact form. Nobody's address is ever part of a page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_staff_session
from core import pages

from . import queries, services
from .access import has_verified_email, may_see_roster
from .filters import ExpertFilter
from .forms import ContactForm, ListingForm


@login_required
@require_http_methods(["GET", "POST"])
def me(request):
    listing = queries.own_listing(request.user)
    verified = has_verified_email(request.user)
    needs_consent = not services.consent_is_current(listing)
    form = ListingForm(request.POST or None, instance=listing, needs_consent=needs_consent)
    status = 200
    if request.method == "POST":
        if not verified:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_listing(
                    user=request.user,
                    data={name: form.cleaned_data[name] for name in services.LISTING_FIELDS},
                    expertise=list(form.cleaned_data["expertise"]),
                    consent=form.cleaned_data.get("consent", False),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your listing on the expert roster is saved."))
                return redirect("experts:me")
        status = 422
    context = {
        "form": form,
        "listing": listing,
        "verified": verified,
        "needs_consent": needs_consent,
        "consent_version": settings.EXPERTS_CONSENT_VERSION,
        "may_see_roster": may_see_roster(request.user, staff=is_staff_session(request)),
    }
    return render(request, "experts/me.html", context, status=status)


@login_required
@require_POST
def hide(request):
    listing = queries.own_listing(request.user)
    if listing is None:
        return redirect("experts:me")
    hidden = request.POST.get("hidden") == "1"
    services.set_hidden(expert=listing, hidden=hidden, by=request.user)
    if hidden:
        messages.success(request, _("Your listing is hidden: nobody sees it now."))
    else:
        messages.success(request, _("Your listing is shown again to whom you chose."))
    return redirect("experts:me")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    listing = queries.own_listing(request.user)
    if listing is None:
        return redirect("experts:me")
    if request.method == "POST":
        services.delete_listing(user=request.user, by=request.user)
        messages.success(request, _("Your listing is deleted from the expert roster."))
        return redirect("experts:me")
    return render(request, "experts/delete.html", {"listing": listing})


def _refused(request):
    return render(request, "experts/refused.html", status=403)


@login_required
@require_http_methods(["GET", "HEAD"])
def roster(request):
    staff = is_staff_session(request)
    if not may_see_roster(request.user, staff=staff):
        return _refused(request)
    filterset = ExpertFilter(request.GET, queryset=queries.roster(staff=staff))
    valid = filterset.form.is_valid()  # invalid fields are reported and left out
    shown = filterset.qs.order_by("-updated_at", "-pk")
    page, page_error = pages.requested_page(request, shown, settings.EXPERTS_PER_PAGE)
    context = {
        "form": filterset.form,
        "page": page,
        "page_error": page_error,
        "staff": staff,
        "own_listing": queries.own_listing(request.user),
    }
    status = 200 if valid and not page_error else 422
    return render(request, "experts/roster.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk):
    staff = is_staff_session(request)
    if not may_see_roster(request.user, staff=staff):
        return _refused(request)
    expert = get_object_or_404(queries.roster(staff=staff), pk=pk)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.contact_expert(
                    expert=expert,
                    sender=request.user,
                    message=form.cleaned_data["message"],
                    staff=staff,
                )
            except services.ContactRefused as error:
                form.add_error(None, error)
                status = 429 if error.code == "rate_limited" else 400
            else:
                messages.success(
                    request,
                    _("Your message is on its way to %(name)s.") % {"name": expert.name},
                )
                return redirect("experts:roster")
    context = {"form": form, "expert": expert, "staff": staff}
    return render(request, "experts/contact.html", context, status=status)
