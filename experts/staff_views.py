"""The ministry staff's side of the roster, under /staff/experts/: search, invite, taxonomy.

Every rendering of roster entries is in the audit log (core.audit)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import staff_required
from core import audit, pages

from . import queries, services, targets
from .filters import ExpertFilter
from .forms import ExpertiseForm, InviteForm, TargetInviteForm
from .models import Expertise


@staff_required
@require_safe
def expert_list(request):
    filterset = ExpertFilter(request.GET, queryset=queries.roster(staff=True))
    valid = filterset.form.is_valid()
    shown = filterset.qs.order_by("-updated_at", "-pk")
    page, page_error = pages.requested_page(request, shown, settings.EXPERTS_PER_PAGE)
    audit.record(request, audit.Action.VIEW_CONTACTS)
    context = {"form": filterset.form, "page": page, "page_error": page_error}
    status = 200 if valid and not page_error else 422
    return render(request, "experts/staff/list.html", context, status=status)


def _detail_page(request, expert, *, invite_form=None, target_form=None, status=200):
    audit.record(request, audit.Action.VIEW_CONTACTS, expert)
    other_targets = [
        {
            "target": target,
            "form": (
                target_form
                if target_form is not None and target_form.target is target
                else TargetInviteForm(target=target)
            ),
            "invited": target.invited(expert),
        }
        for target in targets.all_targets()
    ]
    context = {
        "expert": expert,
        "invitations": queries.invitations_of(expert),
        "messages_received": queries.messages_to(expert),
        "invite_form": invite_form or InviteForm(meetings=queries.invitable_meetings()),
        "other_targets": other_targets,
    }
    return render(request, "experts/staff/detail.html", context, status=status)


@staff_required
@require_safe
def expert_detail(request, pk):
    expert = get_object_or_404(queries.listed_experts(), pk=pk)
    return _detail_page(request, expert)


@staff_required
@require_POST
def invite(request, pk):
    expert = get_object_or_404(queries.listed_experts(), pk=pk)
    form = InviteForm(request.POST, meetings=queries.invitable_meetings())
    if not form.is_valid():
        return _detail_page(request, expert, invite_form=form, status=422)
    meeting = form.cleaned_data["meeting"]
    try:
        _invitation, created = services.invite_to_meeting(
            expert=expert, meeting=meeting, by=request.user
        )
    except ValidationError as error:
        form.add_error("meeting", error)
        return _detail_page(request, expert, invite_form=form, status=422)
    if created:
        messages.success(
            request,
            _("%(name)s is invited to %(meeting)s.") % {"name": expert.name, "meeting": meeting},
        )
    else:
        messages.info(
            request,
            _("%(name)s was already invited to %(meeting)s; nothing more was sent.")
            % {"name": expert.name, "meeting": meeting},
        )
    return redirect("staff_experts:detail", pk=expert.pk)


@staff_required
@require_POST
def invite_to(request, pk, target):
    """Invite the expert to something a registered target offers (a homeland call)."""
    expert = get_object_or_404(queries.listed_experts(), pk=pk)
    kind = targets.get(target)
    if kind is None:
        raise Http404
    form = TargetInviteForm(request.POST, target=kind)
    if not form.is_valid():
        return _detail_page(request, expert, target_form=form, status=422)
    chosen = form.cleaned_data["choice"]
    try:
        created = kind.invite(expert=expert, target=chosen, by=request.user)
    except ValidationError as error:
        form.add_error("choice", error)
        return _detail_page(request, expert, target_form=form, status=422)
    if created:
        messages.success(
            request, _("%(name)s is invited to %(what)s.") % {"name": expert.name, "what": chosen}
        )
    else:
        messages.info(
            request,
            _("%(name)s was already invited to %(what)s; nothing more was sent.")
            % {"name": expert.name, "what": chosen},
        )
    return redirect("staff_experts:detail", pk=expert.pk)


@staff_required
@require_safe
def expertise_list(request):
    return render(request, "experts/staff/fields.html", {"rows": Expertise.objects.all()})


@staff_required
@require_http_methods(["GET", "POST"])
def expertise_edit(request, pk=None):
    field = get_object_or_404(Expertise, pk=pk) if pk else Expertise()
    form = ExpertiseForm(request.POST or None, instance=field)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The field of expertise is saved."))
            return redirect("staff_experts:fields")
        status = 422
    return render(
        request, "experts/staff/field_form.html", {"form": form, "field": field}, status=status
    )
