"""The guided registration at /onboarding/: thin views over onboarding.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import services
from .invitation_views import attach_invitation_from_session
from .models import STEPS, Registration, Step
from .progress import indicator as _indicator
from .summary import registration_summary


@require_safe
def start(request):
    """The account step for visitors; signed-in users continue where they left off."""
    if not request.user.is_authenticated:
        return render(
            request,
            "onboarding/start.html",
            {
                "steps": _indicator(None, None),
                "total": len(STEPS) + 1,
                "signup_url": reverse("account_signup") + "?next=" + reverse("onboarding:start"),
            },
        )
    registration = services.open_registration(user=request.user)
    attach_invitation_from_session(request, registration)
    return redirect("onboarding:step", step=registration.step)


def _policy_template():
    language = translation.get_language() or "bs"
    return select_template(
        [f"onboarding/policy/{language}.html", f"onboarding/policy/{language[:2]}.html"]
        + ["onboarding/policy/bs.html"]
    ).template.name


def _hide_errors(form) -> None:
    """Show stored data again without judging it: it is what the user typed, not a new try."""
    if isinstance(form, services.forms.ContactsStep):
        form.forget_errors()
    else:
        form.is_valid()
        form._errors = ErrorDict()


def _returns_to_review(request, registration) -> bool:
    """An edit opened from the review step goes back there once saved."""
    return request.GET.get("return") == Step.REVIEW and registration.step == Step.REVIEW


def _render_review_section(request, registration, step):
    """One step's answers on the review page, as the review's inline edit swaps them in."""
    section = next(s for s in registration_summary(registration) if s["step"] == step)
    response = render(request, "onboarding/partials/review_section.html", {"section": section})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _render_step(request, registration, step, form, *, status=200):
    inline = _returns_to_review(request, registration)
    context = {
        "registration": registration,
        "step": step,
        "step_label": Step(step).label,
        "steps": _indicator(step, registration),
        "number": STEPS.index(step) + 2,
        "total": len(STEPS) + 1,
        "form": form,
        "previous": services.previous_step(step),
        "optional": step in services.OPTIONAL_STEPS,
        "inline": inline,
        "action": request.path + (f"?return={Step.REVIEW}" if inline else ""),
    }
    if step == Step.CONSENT:
        context["policy_template"] = _policy_template()
    if isinstance(form, services.forms.BasicsForm) and not form.similar:
        # The choice only means something next to a warning about similar names.
        form.fields.pop("different_organization", None)
    if step == Step.REVIEW:
        context["summary"] = registration_summary(registration)
    partial = request.htmx and not request.htmx.boosted
    if partial and step == Step.CONTACTS and request.method == "POST":
        template = "onboarding/partials/contacts_form.html"
    elif partial and inline:
        template = "onboarding/partials/review_edit.html"
    else:
        template = "onboarding/step.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def step(request, step):
    if step not in STEPS:
        raise Http404
    registration = services.open_registration(user=request.user)
    if not registration.may_open(step):
        messages.info(request, _("Complete this step first."))
        return redirect("onboarding:step", step=registration.step)

    if request.method == "GET":
        section = request.GET.get("section")
        partial = request.htmx and not request.htmx.boosted
        if step == Step.REVIEW and partial and section in STEPS[:-1]:
            return _render_review_section(request, registration, section)
        data = services.stored_data(registration, step)
        form = services.step_form(step, data, initial=services.known_initial(registration, step))
        if data is not None:
            _hide_errors(form)
        return _render_step(request, registration, step, form)

    going_back = request.POST.get("go") == "back"
    if step == Step.REVIEW:
        if going_back:
            return redirect("onboarding:step", step=services.previous_step(step))
        try:
            services.submit_registration(registration=registration, by=request.user)
        except services.RegistrationError as error:
            messages.error(request, error.messages[0])
            return redirect("onboarding:step", step=error.step)
        return redirect("onboarding:submitted")

    if request.POST.get("go") == "skip" and step in services.OPTIONAL_STEPS:
        try:
            services.skip_step(registration=registration, step=step, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("onboarding:start")
        return redirect("onboarding:step", step=services.next_step(step))

    adding = request.POST.get("add")
    form = services.step_form(step, request.POST, adding=adding)
    data = services.typed_data(form.data, form)
    completed = not adding and not going_back and form.is_valid()
    try:
        registration = services.save_step(
            registration=registration,
            step=step,
            data=data,
            form=form if completed else None,
            completed=completed,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("onboarding:start")
    if going_back:
        return redirect("onboarding:step", step=services.previous_step(step) or step)
    if completed and _returns_to_review(request, registration):
        if request.htmx and not request.htmx.boosted:
            return _render_review_section(request, registration, step)
        return redirect("onboarding:step", step=Step.REVIEW)
    if completed:
        return redirect("onboarding:step", step=services.next_step(step))
    return _render_step(request, registration, step, form, status=200 if adding else 422)


@login_required
@require_safe
def submitted(request):
    registration = (
        Registration.objects.filter(user=request.user, submitted_at__isnull=False)
        .select_related("organization")
        .order_by("-submitted_at")
        .first()
    )
    if registration is None:
        return redirect("onboarding:start")
    return render(request, "onboarding/submitted.html", {"registration": registration})
