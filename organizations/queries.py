"""Reads the directory, the profile and the API share; each runs a fixed number of queries."""

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Left

from core import rows

from .models import Area, CommunicationChannel, ContactPerson, Organization

# What a directory card shows; the search column and staff-only text stay in the database, and
# of the description only the start that the excerpt needs leaves it.
EXCERPT_SOURCE_LENGTH = 300
CARD_FIELDS = [
    "pk",
    "name",
    "slug",
    "kind",
    "country",
    "city",
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
        .annotate(description_start=Left("description", EXCERPT_SOURCE_LENGTH))
        .prefetch_related(Prefetch("areas", queryset=Area.objects.only("slug", "names")))
        .order_by("name", "pk")
    )


def country_counts(queryset: QuerySet[Organization]) -> dict[str, int]:
    """Number of organizations per country code in ``queryset``."""
    rows = queryset.order_by().values_list("country").annotate(count=Count("pk"))
    return dict(rows)


def area_counts(queryset: QuerySet[Organization]) -> list[tuple[Area, int]]:
    """Every area with the number of organizations of ``queryset`` in it, in taxonomy order."""
    # Counting rows of the link table is twice as fast as annotating areas with a filtered join.
    links = Organization.areas.through.objects.filter(organization__in=queryset.values("pk"))
    counts = dict(links.order_by().values_list("area_id").annotate(count=Count("*")))
    areas = Area.objects.only("slug", "names", "position")
    return [(area, counts.get(area.pk, 0)) for area in areas]


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
    """The organization with ``slug`` in any status, or None; the view decides who sees it.

    Plain SQL (``core.rows``): every profile built afresh reads it, and through the ORM its
    thirty columns cost more to ask for than to read."""
    found = rows.read(
        Organization,
        {"slug": slug},
        exclude=("search_document", "search_vector", "normalized_name"),
        limit=1,
    )
    return found[0] if found else None


def profile_channels(organization: Organization, *, members: bool) -> list[CommunicationChannel]:
    """The organization's channels: public ones, and members-only ones when ``members``.

    ``members``: the viewer belongs to this organization, or is a staff session (the label of
    ``CommunicationChannel.Visibility.MEMBERS``).
    """
    conditions = {"organization": organization.pk}
    if not members:
        conditions["visibility"] = CommunicationChannel.Visibility.PUBLIC
    return _profile_rows(CommunicationChannel, conditions)


def profile_contacts(organization: Organization, *, admin: bool) -> list[ContactPerson]:
    """The organization's contacts: public ones, and every one for its admins."""
    conditions = {"organization": organization.pk}
    if not admin:
        conditions["is_public"] = True
    return _profile_rows(ContactPerson, conditions)


def _profile_rows(model, conditions: dict) -> list:
    """The rows of ``model`` whose fields equal ``conditions``, in its order (position, pk).

    Plain SQL on purpose (``core.rows``): a member's or an admin's profile reads its channels
    and contacts afresh (the public ones come from a fragment), and building these small
    queries through the ORM cost about twice the CPU of running them and making the rows.
    """
    return rows.read(model, conditions)


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
