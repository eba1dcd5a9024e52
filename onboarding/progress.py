"""The step indicator of the guided registration."""

from django.utils.translation import gettext as _

from .models import STEPS, Registration, Step


def indicator(current: str | None, registration: Registration | None):
    """The step indicator: the account step, then the registration's steps."""
    items = [{"key": "account", "label": _("Account"), "done": registration is not None}]
    for step in Step:
        items.append(
            {
                "key": step.value,
                "label": step.label,
                "current": step.value == current,
                "open": registration is not None and registration.may_open(step.value),
                "done": registration is not None
                and STEPS.index(step.value) < STEPS.index(registration.step),
            }
        )
    if current is None:
        items[0]["current"] = True
    for number, item in enumerate(items, start=1):
        item["number"] = number
    return items
