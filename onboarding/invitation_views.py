"""Invitations to join: following a link, and the pages staff and admins send them from."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from organizations.models import Membership, Organization

from . import invitations, services
from .forms import InvitationForm
from .models import STEPS, Invitation
from .progress import indicator as _indicator

SESSION_KEY = "onboarding_invitation"


@never_cache  # a personal link: never kept by a browser, a proxy or the service worker
@require_safe
def follow(request, token):
    """The link in an invitation e-mail: open the pre-filled registration."""
    try:
        invitation = invitations.find_invitation(token=token, user=request.user)
    except invitations.InvitationLinkError as error:
        status = 404 if error.code == "unknown" else 410
        return render(
            request,
            "onboarding/invitation_unusable.html",
            {"reason": error.messages[0], "code": error.code},
            status=status,
        )
    if invitation.completed_at:
        return redirect("onboarding:submitted")
    invitations.mark_opened(invitation=invitation)
    if not request.user.is_authenticated:
        request.session[SESSION_KEY] = invitation.pk
        # The link reached this address: signing up with it needs no confirmation e-mail.
        get_adapter(request).stash_verified_email(request, invitation.email)
        signup = (
            reverse("account_signup")
            + "?"
            + urlencode({"email": invitation.email, "next": reverse("onboarding:start")})
        )
        return render(
            request,
            "onboarding/start.html",
            {
                "invitation": invitation,
                "signup_url": signup,
                "steps": _indicator(None, None),
                "total": len(STEPS) + 1,
            },
        )
    registration = services.open_registration(user=request.user)
    if not invitations.start_with_invitation(invitation=invitation, registration=registration):
        messages.error(request, _("This invitation has already been used."))
    return redirect("onboarding:step", step=registration.step)


def attach_invitation_from_session(request, registration) -> None:
    """A visitor who followed an invitation link and then signed up continues with it."""
    pk = request.session.pop(SESSION_KEY, None)
    get_adapter(request).forget_verified_email(request)
    if pk is None or registration.invitation_id:
        return
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is not None and not invitation.revoked_at:
        invitations.start_with_invitation(invitation=invitation, registration=registration)


# --- Sending: the shared page part ------------------------------------------------------------


def _handle_invite(request, *, form, by, inviting_organization=None):
    """Send the invitation of a valid form; return an error status or None."""
    if not form.is_valid():
        return 422
    try:
        invitations.invite_organization(
            email=form.cleaned_data["email"],
            organization_name=form.cleaned_data["organization_name"],
            country=form.cleaned_data["country"] or "",
            message=form.cleaned_data["message"],
            language=form.cleaned_data["language"],
            inviting_organization=inviting_organization
            or form.cleaned_data.get("inviting_organization"),
            by=by,
        )
    except invitations.InvitationRefused as error:
        form.add_error(None, error)
        return 429 if isinstance(error, invitations.RateLimited) else 403
    messages.success(
        request,
        _("The invitation is sent to %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return None


def _act(request, invitation, action) -> int | None:
    """Resend or revoke; return an error status for the page to answer with, or None."""
    if action not in ("resend", "revoke"):
        raise Http404
    try:
        if action == "resend":
            invitations.resend_invitation(invitation=invitation, by=request.user)
            messages.success(request, _("The invitation is sent again with a new link."))
        else:
            invitations.revoke_invitation(invitation=invitation, by=request.user)
            messages.success(request, _("The invitation is revoked. Its link no longer works."))
    except invitations.RateLimited as error:
        messages.error(request, error.messages[0])
        return 429
    except invitations.InvitationRefused as error:
        messages.error(request, error.messages[0])
        return 403
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return None


# --- Admins of approved organizations ---------------------------------------------------------


def _admin_organizations(user):
    return list(
        Organization.objects.filter(
            status=Organization.Status.APPROVED,
            memberships__user=user,
            memberships__role=Membership.Role.ADMIN,
        ).order_by("name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def admin_invitations(request):
    """Admins of approved organizations invite other organizations to join."""
    organizations = _admin_organizations(request.user)
    if not organizations:
        raise PermissionDenied
    form = InvitationForm(request.POST or None, organizations=organizations)
    status = 200
    if request.method == "POST":
        status = _handle_invite(request, form=form, by=request.user)
        if status is None:
            return redirect("onboarding:invitations")
    return _admin_page(request, form=form, status=status)


def _admin_page(request, *, form, status=200):
    sent = Invitation.objects.filter(invited_by=request.user).select_related(
        "inviting_organization"
    )
    context = {"form": form, "invitations": sent, "staff": False}
    return render(request, "onboarding/invitations.html", context, status=status)


@login_required
@require_POST
def admin_invitation_action(request, pk, action):
    invitation = get_object_or_404(Invitation, pk=pk, invited_by=request.user)
    organizations = _admin_organizations(request.user)
    # Only for an organization the user is still an admin of, and that is still approved.
    if invitation.inviting_organization_id not in {o.pk for o in organizations}:
        raise PermissionDenied
    status = _act(request, invitation, action)
    if status is not None:
        # The page itself, with the message, answers: not a redirect that hides the status.
        form = InvitationForm(organizations=organizations)
        return _admin_page(request, form=form, status=status)
    return redirect("onboarding:invitations")
