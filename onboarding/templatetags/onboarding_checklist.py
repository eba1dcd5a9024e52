from django import template

from onboarding import checklist

register = template.Library()


@register.inclusion_tag("onboarding/partials/checklist_panel.html")
def checklist_panel(organization):
    """A short note on the organization's page leading its members to their checklist."""
    done, total = checklist.progress(organization)
    return {"organization": organization, "done": done, "total": total}
