"""The privacy app's tile on the staff dashboard."""

from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("privacy/staff/_dashboard_tile.html")
def privacy_tile():
    """Organizations left without an admin, and the way to the audit log."""
    return {"orphaned": queries.organizations_without_admin()}
