"""An organization's own pages for its members and admins, under /organizations/<slug>/manage/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import services
from .editor import ProfileEditor
from .forms import InviteMemberForm, MemberRoleForm, OrganizationProfileForm
from .models import Membership, Organization
from .roles import check_organization_admin, is_organization_member, organization_role


def _organization(slug):
    return get_object_or_404(Organization, slug=slug)


def _admin_organization(request, slug):
    organization = _organization(slug)
    check_organization_admin(request.user, organization)
    return organization


@login_required
@require_safe
def home(request, slug):
    """The organization's page for its members: members-only channels, and admin tools."""
    organization = _organization(slug)
    if not is_organization_member(request.user, organization):
        raise PermissionDenied
    is_admin = organization_role(request.user, organization) == Membership.Role.ADMIN
    contacts = organization.contacts.all()
    if not is_admin:
        contacts = contacts.filter(is_public=True)
    context = {
        "organization": organization,
        "is_admin": is_admin,
        "channels": list(organization.channels.all()),
        "contacts": list(contacts),
        "areas": list(organization.areas.all()),
    }
    return render(request, "organizations/manage/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    organization = _admin_organization(request, slug)
    editor = ProfileEditor(request, organization=organization, form_class=OrganizationProfileForm)
    status = 200
    if editor.is_saving:
        if editor.is_valid():
            services.save_profile(form=editor.form, formsets=editor.formsets, by=request.user)
            messages.success(request, _("The profile is saved."))
            return redirect("organizations:manage", slug=organization.slug)
        status = 422
    context = {"organization": organization, "editor": editor, "action": request.path}
    template = (
        "organizations/manage/_editor.html" if request.htmx else "organizations/manage/edit.html"
    )
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def confirm(request, slug):
    organization = _admin_organization(request, slug)
    services.confirm_current(organization=organization, by=request.user)
    messages.success(request, _("Thank you. The profile is confirmed as current."))
    return redirect("organizations:manage", slug=organization.slug)


def _members_page(request, organization, *, invite_form=None, status=200):
    context = {
        "organization": organization,
        "memberships": list(
            organization.memberships.select_related("user").order_by("role", "user__email")
        ),
        "invitations": [
            invitation
            for invitation in organization.member_invitations.filter(accepted_at__isnull=True)
            if invitation.is_open
        ],
        "invite_form": invite_form or InviteMemberForm(),
        "may_invite": organization.status == Organization.Status.APPROVED,
        "roles": Membership.Role.choices,
    }
    return render(request, "organizations/manage/members.html", context, status=status)


@login_required
@require_safe
def members(request, slug):
    organization = _admin_organization(request, slug)
    return _members_page(request, organization)


@login_required
@require_POST
def invite(request, slug):
    organization = _admin_organization(request, slug)
    form = InviteMemberForm(request.POST)
    if not form.is_valid():
        return _members_page(request, organization, invite_form=form, status=422)
    try:
        services.invite_member(
            organization=organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
    except services.InvitationRefused as error:
        form.add_error(None, error)
        status = 403 if error.code == "not_approved" else 429
        return _members_page(request, organization, invite_form=form, status=status)
    messages.success(
        request,
        _("An invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return redirect("organizations:manage_members", slug=organization.slug)


def _membership(organization, pk):
    # Looked up inside the organization from the URL: another organization's members are 404.
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"), organization=organization, pk=pk
    )


@login_required
@require_POST
def member_role(request, slug, pk):
    organization = _admin_organization(request, slug)
    membership = _membership(organization, pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("organizations:manage_members", slug=organization.slug)
    try:
        services.change_member_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role is changed."))
    return redirect("organizations:manage_members", slug=organization.slug)


@login_required
@require_POST
def member_remove(request, slug, pk):
    organization = _admin_organization(request, slug)
    membership = _membership(organization, pk)
    try:
        services.remove_member(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organizations:manage_members", slug=organization.slug)
    messages.success(request, _("The member is removed."))
    if membership.user_id == request.user.pk:
        return redirect("account_overview")
    return redirect("organizations:manage_members", slug=organization.slug)


INVITATION_ERROR_STATUS = {"unknown": 404, "used": 410, "expired": 410, "email": 403}


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug, token):
    """Accept an invitation: the invited address must be a verified address of the user."""
    organization = _organization(slug)
    try:
        invitation = services.find_invitation(organization=organization, token=token)
        if not services.user_may_accept(request.user, invitation):
            raise services.InvitationError(
                _(
                    "This invitation was sent to another e-mail address. Log in with that "
                    "address, or add and verify it on your account."
                ),
                code="email",
            )
        if request.method == "POST":
            services.accept_invitation(organization=organization, token=token, user=request.user)
            messages.success(
                request,
                _("Welcome! You are now a member of %(name)s.") % {"name": organization.name},
            )
            return redirect("organizations:manage", slug=organization.slug)
    except services.InvitationError as error:
        context = {"organization": organization, "error": " ".join(error.messages)}
        return render(
            request,
            "organizations/manage/join.html",
            context,
            status=INVITATION_ERROR_STATUS.get(error.code, 400),
        )
    context = {"organization": organization, "invitation": invitation}
    return render(request, "organizations/manage/join.html", context)
