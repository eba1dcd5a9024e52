"""Reads the directory, the profile and the API share; each runs a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Area, CommunicationChannel, ContactPerson, Organization

# What a directory card shows; the search column and staff-only text stay in the database.
CARD_FIELDS = [
    "pk",
    "name",
    "slug",
    "kind",
    "country",
    "city",
    "description",
    "logo",
    "verified_at",
    "dormant_since",
    "last_confirmed_at",
]


def listed_organizations() -> QuerySet[Organization]:
    """Organizations the public may see: approved ones, listed at once."""
    return Organization.objects.filter(status=Organization.Status.APPROVED)


def directory_cards(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """The directory's rows with their areas, in name order."""
    return (
        queryset.only(*CARD_FIELDS)
        .prefetch_related(Prefetch("areas", queryset=Area.objects.only("slug", "names")))
        .order_by("name", "pk")
    )


def country_counts(queryset: QuerySet[Organization]) -> dict[str, int]:
    """Number of organizations per country code in ``queryset``."""
    rows = queryset.order_by().values_list("country").annotate(count=Count("pk"))
    return dict(rows)


def area_counts(queryset: QuerySet[Organization]) -> list[tuple[Area, int]]:
    """Every area with the number of organizations of ``queryset`` in it, in taxonomy order."""
    areas = Area.objects.only("slug", "names", "position").annotate(
        count=Count("organizations", filter=Q(organizations__in=queryset.values("pk")))
    )
    return [(area, area.count) for area in areas]


def city_counts(queryset: QuerySet[Organization], *, limit: int = 30) -> list[tuple[str, int]]:
    """The cities with the most organizations in ``queryset``, most first."""
    rows = (
        queryset.order_by()
        .values_list("city")
        .annotate(count=Count("pk"))
        .order_by("-count", "city")[:limit]
    )
    return list(rows)


def profile_organization(slug: str) -> Organization | None:
    """The organization with ``slug`` in any status, or None; the view decides who sees it."""
    return (
        Organization.objects.defer("search_document", "search_vector", "normalized_name")
        .filter(slug=slug)
        .first()
    )


def profile_channels(organization: Organization, *, members: bool) -> list[CommunicationChannel]:
    """The organization's channels: public ones, and members-only ones for its members."""
    channels = organization.channels.all()
    if not members:
        channels = channels.filter(visibility=CommunicationChannel.Visibility.PUBLIC)
    return list(channels)


def profile_contacts(organization: Organization, *, admin: bool) -> list[ContactPerson]:
    """The organization's contacts: public ones, and every one for its admins."""
    contacts = organization.contacts.all()
    if not admin:
        contacts = contacts.filter(is_public=True)
    return list(contacts)


def api_organizations() -> QuerySet[Organization]:
    """Listed organizations with their public areas, channels and contacts loaded up front."""
    return (
        listed_organizations()
        .defer("search_document", "search_vector", "normalized_name", "staff_notes")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("slug", "names")),
            Prefetch(
                "channels",
                queryset=CommunicationChannel.objects.filter(
                    visibility=CommunicationChannel.Visibility.PUBLIC
                ),
                to_attr="public_channels",
            ),
            Prefetch(
                "contacts",
                queryset=ContactPerson.objects.filter(is_public=True),
                to_attr="public_contacts",
            ),
        )
        .order_by("name", "pk")
    )
