"""What the review step shows: every step's answers in words."""

from django.utils.translation import gettext_lazy as _

from . import services
from .models import STEPS, Step


def _value_text(field, value) -> str:
    if value in (None, "", [], ()):
        return "—"
    if hasattr(field, "queryset"):
        return ", ".join(str(item) for item in value)
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if isinstance(value, bool):
        return str(_("Yes")) if value else str(_("No"))
    if choices:
        return str(choices.get(value, value))
    if hasattr(value, "as_international"):
        return value.as_international
    if hasattr(value, "name") and hasattr(value, "code"):
        return str(value.name)
    return str(value)


def _rows(form) -> list[tuple[str, str]]:
    return [
        (str(field.label), _value_text(field, form.cleaned_data.get(name)))
        for name, field in form.fields.items()
        if name in form.cleaned_data and name != "different_organization"
    ]


def registration_summary(registration) -> list[dict]:
    """Return one section per completed step with (label, value) rows."""
    sections = []
    for step in STEPS[:-1]:
        form = services.step_form(step, services.stored_data(registration, step))
        if not form.is_bound or not form.is_valid():
            sections.append({"step": step, "label": Step(step).label, "incomplete": True})
            continue
        if step == Step.CONTACTS:
            rows = [
                (str(_("Channel")), f"{f.instance.get_kind_display()}: {f.cleaned_data['value']}")
                for f in form.channels.forms
                if f.has_changed() and not f.cleaned_data.get("DELETE")
            ] + [
                (str(_("Contact person")), f.cleaned_data["name"])
                for f in form.contacts.forms
                if f.has_changed() and not f.cleaned_data.get("DELETE")
            ]
        elif step == Step.CONSENT:
            rows = [(str(_("Consent")), str(_("Given")))]
        else:
            rows = _rows(form)
        sections.append({"step": step, "label": Step(step).label, "rows": rows})
    return sections
