"""What the open data is read from: the same reads the public API and pages use.

The organizations are the API's (``organizations.queries.api_organizations``: listed ones, with
public channels only); the summaries are the public archive's (``meetings.queries
.archive_meetings``: published minutes only). Nothing here widens either: it only adds what the
files need up front, so that each batch costs a fixed number of queries.
"""

from django.db.models import Prefetch, QuerySet

from meetings import queries as meeting_queries
from meetings.models import ActionItem, Decision, Meeting
from organizations import queries as organization_queries
from organizations.models import Area, Organization


def open_organizations() -> QuerySet[Organization]:
    """The listed organizations with what the API shows of them, in name order."""
    return organization_queries.api_organizations()


def open_areas() -> QuerySet[Area]:
    """The taxonomy of areas of activity (public: the directory filters by it)."""
    return Area.objects.only("slug", "names", "position").order_by("position", "slug")


def open_summaries() -> QuerySet[Meeting]:
    """Meetings with published minutes, oldest first, with what their public page shows."""
    return (
        meeting_queries.archive_meetings()
        .prefetch_related(
            Prefetch("minutes__decisions", queryset=Decision.objects.only("minutes_id", "text")),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("responsible").only(
                    "meeting_id",
                    "text",
                    "due_on",
                    "status",
                    "position",
                    "responsible__slug",
                    "responsible__status",
                ),
            ),
        )
        .order_by("starts_at", "pk")
    )
