"""Country liaisons: people who see the organizations of their country with their answers and
invite more of them.

For a series, staff name a standing liaison per country (``SeriesLiaison``, an admin of an
approved organization there): they serve every meeting of the series until staff remove them.
A meeting outside a series keeps its own liaisons for its host country (``Liaison``).
"""

import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organizations import queries as organization_queries
from organizations.models import Membership, Organization

from .models import Invitation, Liaison, Meeting, Series, SeriesLiaison

logger = logging.getLogger(__name__)


def liaison_countries(user, meeting: Meeting) -> list[str]:
    """The countries whose organizations the user serves as liaison for this meeting; one query.

    A meeting of a series: the user's standing countries in the series (for a meeting of one
    host country, only that one). Any other: the host country, if named on the meeting.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    if meeting.series_id is not None:
        conditions = {"series": meeting.series_id, "user": user.pk}
        if meeting.scope == Meeting.Scope.COUNTRY:
            conditions["country"] = str(meeting.host_country)
        return sorted({str(code) for code in _column(SeriesLiaison, "country", conditions)})
    if meeting.scope != Meeting.Scope.COUNTRY:
        return []
    if _column(Liaison, "id", {"meeting": meeting.pk, "user": user.pk}, limit=1):
        return [str(meeting.host_country)]
    return []


def _column(model, name: str, conditions: dict, *, limit: int | None = None) -> list:
    """One column of the rows of ``model`` whose fields equal ``conditions``.

    Plain SQL on purpose: the meeting page asks every signed-in person whether they are a
    liaison, and building this small query through the ORM cost about four times the CPU of
    running it (as for the user in accounts.backends).
    """
    quote = connection.ops.quote_name
    columns = {field.name: quote(field.column) for field in model._meta.concrete_fields}
    where = " AND ".join(f"{columns[field]} = %s" for field in conditions)
    # Only quoted table and column names from the model go into the text; values are bound.
    sql = f"SELECT {columns[name]} FROM {quote(model._meta.db_table)} WHERE {where}"  # noqa: S608
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(conditions.values()))
        return [row[0] for row in cursor.fetchall()]


def is_liaison(user, meeting: Meeting) -> bool:
    """Whether the user is a country liaison of this meeting (standing or named on it)."""
    return bool(liaison_countries(user, meeting))


@transaction.atomic
def assign_liaison(meeting: Meeting, user, *, by) -> Liaison:
    if meeting.scope != Meeting.Scope.COUNTRY:
        raise ValidationError(
            _("Only a meeting for one host country has country liaisons."), code="not_country"
        )
    liaison, _created = Liaison.objects.get_or_create(meeting=meeting, user=user)
    logger.info(
        "meeting liaison: meeting=%s user=%s by=%s", meeting.pk, user.pk, getattr(by, "pk", None)
    )
    return liaison


@transaction.atomic
def remove_liaison(liaison: Liaison, *, by) -> None:
    liaison.delete()


def country_answers(
    meeting: Meeting, countries: list[str] | None = None
) -> list[tuple[Organization, Invitation | None]]:
    """What a liaison sees: each invited organization of their countries (by default the host
    country) with its latest answer. Never the addresses: contact persons' addresses are
    private (staff and the organization's admins only)."""
    countries = countries if countries is not None else [meeting.host_country]
    invited = (
        Invitation.objects.filter(meeting=meeting, organization__country__in=countries)
        .select_related("organization")
        .only("organization__name", "organization__slug", "answer", "people", "comment")
        .order_by("organization__name", "organization_id", "-answered_at", "-pk")
    )
    rows: dict[int, tuple[Organization, Invitation | None]] = {}
    for invitation in invited:
        current = rows.get(invitation.organization_id)
        if current is None or (current[1] is None and invitation.answer):
            rows[invitation.organization_id] = (
                invitation.organization,
                invitation if invitation.answer else None,
            )
    return list(rows.values())


def country_candidates(
    meeting: Meeting, countries: list[str] | None = None
) -> QuerySet[Organization]:
    """Approved organizations of the liaison's countries (by default the host country) none of
    whose addresses is invited yet."""
    countries = countries if countries is not None else [meeting.host_country]
    return (
        organization_queries.listed_organizations()
        .filter(country__in=countries)
        .exclude(meeting_invitations__meeting=meeting)
        .only("pk", "name", "city", "country")
        .order_by("name", "pk")
    )


# --- Standing liaisons of a series ---------------------------------------------------------


def standing_liaisons(series: Series) -> QuerySet[SeriesLiaison]:
    return (
        SeriesLiaison.objects.filter(series=series)
        .select_related("user")
        .order_by("country", "user__email", "pk")
    )


@transaction.atomic
def name_standing_liaison(*, series: Series, country: str, user, by) -> SeriesLiaison:
    """Name ``user`` the series' standing liaison for ``country``; they must be an admin of an
    approved organization in that country."""
    admin_there = Membership.objects.filter(
        user=user,
        role=Membership.Role.ADMIN,
        organization__country=country,
        organization__status=Organization.Status.APPROVED,
    ).exists()
    if not admin_there:
        raise ValidationError(
            _("A liaison must be an admin of an approved organization in that country."),
            code="not_admin_in_country",
        )
    liaison, created = SeriesLiaison.objects.get_or_create(
        series=series,
        country=country,
        user=user,
        defaults={"created_by": by if getattr(by, "pk", None) else None},
    )
    logger.info(
        "standing liaison named: series=%s country=%s user=%s new=%s by=%s",
        series.pk,
        country,
        user.pk,
        created,
        getattr(by, "pk", None),
    )
    return liaison


@transaction.atomic
def remove_standing_liaison(*, liaison: SeriesLiaison, by) -> None:
    """End a standing liaison: from now on they see none of the series' meetings."""
    logger.info(
        "standing liaison removed: series=%s country=%s user=%s by=%s",
        liaison.series_id,
        liaison.country,
        liaison.user_id,
        getattr(by, "pk", None),
    )
    liaison.delete()
