"""Blocks the registry adds to pages other apps own: the staff dashboard, "My account"."""

from django import template
from django.db.models import Count
from django_countries import countries

from organizations.models import Membership, Organization

register = template.Library()


@register.inclusion_tag("organizations/staff/_dashboard_counts.html")
def registry_counts():
    """Counts per status and per country (approved organizations) for the staff dashboard."""
    by_status = dict(Organization.objects.order_by().values_list("status").annotate(n=Count("pk")))
    by_country = (
        Organization.objects.filter(status=Organization.Status.APPROVED)
        .order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
    )
    return {
        "statuses": [
            (value, label, by_status.get(value, 0)) for value, label in Organization.Status.choices
        ],
        "countries": sorted(
            ((countries.name(code), code, n) for code, n in by_country),
            key=lambda row: (-row[2], row[0]),
        ),
        "pending": by_status.get(Organization.Status.PENDING, 0),
    }


@register.inclusion_tag("organizations/manage/_my_organizations.html")
def my_organizations(user):
    """The organizations the user belongs to, for the "My account" page."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
        if user.is_authenticated
        else []
    )
    return {"memberships": memberships}
