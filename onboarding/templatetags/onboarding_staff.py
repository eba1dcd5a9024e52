from django import template

from onboarding import checklist
from onboarding.forms import WISHES
from onboarding.models import Registration

register = template.Library()


@register.inclusion_tag("onboarding/staff/_registration_note.html")
def registration_note(organization):
    """What the guided registration told staff about the organization under review."""
    registration = (
        Registration.objects.filter(organization=organization).order_by("-submitted_at").first()
    )
    wishes = []
    if registration is not None:
        chosen = set((registration.data.get("areas") or {}).get("wishes", []))
        wishes = [label for key, label in WISHES if key in chosen]
    done, total = checklist.progress(organization)
    return {
        "registration": registration,
        "wishes": wishes,
        "organization": organization,
        "checklist_done": done,
        "checklist_total": total,
    }
