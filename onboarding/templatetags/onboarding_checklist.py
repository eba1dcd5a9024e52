from django import template

from onboarding import checklist

register = template.Library()


@register.inclusion_tag("onboarding/partials/checklist_panel.html", takes_context=True)
def checklist_panel(context, organization):
    """A note on the organization's page: the members' checklist, and invitations for admins."""
    done, total = checklist.progress(organization)
    return {
        "organization": organization,
        "done": done,
        "total": total,
        "is_admin": context.get("is_admin", False),
    }
