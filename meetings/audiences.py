"""Audiences that combine, and the audience a series remembers.

An audience is what staff pick on the invitation form: any number of countries, kinds and
areas of activity (an organization matches when it is in one of the countries AND of one of the
kinds AND in one of the areas given), or every approved organization, plus organizations picked
one by one. "Germany and Austria" is countries DE and AT; "all cultural centres in Scandinavia"
is kind cultural with countries SE, NO and DK.

Every invitation round of a meeting stores its audience (``AudienceRule``); the rules of the
latest meeting of a series that has any are the series' audience, which "schedule the next one"
proposes again, with the organizations approved since then added.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django_countries import countries as all_countries

from organizations import queries as organization_queries
from organizations.models import Area, ContactPerson, Organization

from . import invitations
from .models import AudienceRule, Meeting, Series


@dataclass(frozen=True)
class Audience:
    """One audience as staff chose it (ids and codes only, so it compares and stores plainly)."""

    everyone: bool = False
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    area_ids: tuple[int, ...] = ()
    organization_ids: tuple[int, ...] = ()

    @property
    def has_criteria(self) -> bool:
        return bool(self.everyone or self.countries or self.kinds or self.area_ids)

    @property
    def is_empty(self) -> bool:
        return not (self.has_criteria or self.organization_ids)

    def condition(self) -> Q | None:
        """The organizations this audience matches, as one condition (None: none at all)."""
        parts = []
        if self.has_criteria:
            criteria = Q()
            if self.countries:
                criteria &= Q(country__in=self.countries)
            if self.kinds:
                criteria &= Q(kind__in=self.kinds)
            if self.area_ids:
                links = Organization.areas.through.objects.filter(area_id__in=self.area_ids)
                criteria &= Q(pk__in=links.values("organization_id"))
            parts.append(criteria)
        if self.organization_ids:
            parts.append(Q(pk__in=self.organization_ids))
        return reduce(operator.or_, parts) if parts else None

    @classmethod
    def from_rule(cls, rule: AudienceRule) -> Audience:
        """The audience of a stored rule (its areas and organizations prefetched)."""
        return cls(
            everyone=rule.everyone,
            countries=tuple(rule.countries),
            kinds=tuple(rule.kinds),
            area_ids=tuple(area.pk for area in rule.areas.all()),
            organization_ids=tuple(organization.pk for organization in rule.organizations.all()),
        )


def organizations(audiences: list[Audience]) -> QuerySet[Organization]:
    """The approved organizations any of ``audiences`` matches: one query when evaluated."""
    conditions = [c for c in (audience.condition() for audience in audiences) if c is not None]
    listed = organization_queries.listed_organizations()
    if not conditions:
        return listed.none()
    return listed.filter(reduce(operator.or_, conditions))


@dataclass
class Reach:
    """How many organizations and addresses an audience reaches, before anything is sent."""

    organizations: int = 0
    addresses: int = 0
    new_addresses: int = 0


def reach(meeting: Meeting, audiences: list[Audience], *, fresh: bool = False) -> Reach:
    """Count what inviting ``audiences`` to ``meeting`` would reach: three queries whatever the
    audience's size (the organizations, their contact persons, the addresses invited already).
    ``fresh``: for a meeting like this one that invited nobody yet (the next of the series)."""
    matched = invitations.within_scope(meeting, organizations(audiences)).order_by()
    rows = list(matched.values_list("pk", "public_email"))
    if not rows:
        return Reach()
    contacts: dict[int, list[str]] = {}
    for organization_id, address in (
        ContactPerson.objects.filter(organization__in=matched.values("pk"))
        .exclude(email="")
        .order_by("position", "pk")
        .values_list("organization_id", "email")
    ):
        contacts.setdefault(organization_id, []).append(address)
    addresses: set[str] = set()
    for pk, public_email in rows:
        addresses.update(invitations.recipient_addresses([public_email, *contacts.get(pk, [])]))
    taken = (
        {address.lower() for address in meeting.invitations.values_list("email", flat=True)}
        if meeting.pk and not fresh
        else set()
    )
    return Reach(
        organizations=len(rows),
        addresses=len(addresses),
        new_addresses=len(addresses - taken),
    )


def _store(meeting: Meeting, audience: Audience, *, by) -> AudienceRule:
    rule = AudienceRule.objects.create(
        meeting=meeting,
        everyone=audience.everyone,
        countries=list(audience.countries),
        kinds=list(audience.kinds),
        created_by=by if getattr(by, "pk", None) else None,
    )
    if audience.area_ids:
        rule.areas.set(audience.area_ids)
    if audience.organization_ids:
        rule.organizations.set(audience.organization_ids)
    return rule


@transaction.atomic
def invite_audiences(meeting: Meeting, chosen: list[Audience], *, by) -> int:
    """Invite the audiences to the meeting and remember them for the series; return how many
    invitations are new (the e-mails go out through the invitation task after the commit)."""
    created = invitations.invite(meeting, organizations(chosen), by=by)
    stored = {
        Audience.from_rule(rule)
        for rule in AudienceRule.objects.filter(meeting=meeting).prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("pk")),
            Prefetch("organizations", queryset=Organization.objects.only("pk")),
        )
    }
    for audience in chosen:
        if audience not in stored:  # inviting the same audience again remembers it once
            _store(meeting, audience, by=by)
            stored.add(audience)
    return created


# --- What a series remembers ---------------------------------------------------------------


@dataclass
class Remembered:
    """A series' audience: the rules of its latest invited meeting, as staff last chose them."""

    meeting: Meeting | None = None
    audiences: list[Audience] = field(default_factory=list)
    rules: list[AudienceRule] = field(default_factory=list)
    since: datetime | None = None


def remembered(series: Series | None, *, before: Meeting | None = None) -> Remembered:
    """The audience of the series' latest meeting (before ``before``, if given) that invited
    one; three queries."""
    if series is None:
        return Remembered()
    meetings = Meeting.objects.filter(series=series, audience_rules__isnull=False)
    if before is not None and before.pk:
        meetings = meetings.filter(
            Q(starts_at__lt=before.starts_at) | Q(pk=before.pk, starts_at=before.starts_at)
        )
    source = meetings.order_by("-starts_at", "-pk").only("pk", "title", "starts_at").first()
    if source is None:
        return Remembered()
    rules = list(
        AudienceRule.objects.filter(meeting=source)
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("pk", "slug", "names")),
            Prefetch("organizations", queryset=Organization.objects.only("pk", "name")),
        )
        .order_by("pk")
    )
    return Remembered(
        meeting=source,
        audiences=[Audience.from_rule(rule) for rule in rules],
        rules=rules,
        since=max(rule.created_at for rule in rules),
    )


def approved_since(meeting: Meeting, remembered_audience: Remembered) -> QuerySet[Organization]:
    """Organizations approved after the series' audience was last invited that it does not
    reach yet (within the meeting's scope): the ones "schedule the next one" adds."""
    if remembered_audience.since is None:
        return Organization.objects.none()
    reached = organizations(remembered_audience.audiences).values("pk")
    return (
        invitations.within_scope(
            meeting,
            organization_queries.listed_organizations().filter(
                approved_at__gt=remembered_audience.since
            ),
        )
        .exclude(pk__in=reached)
        .only("pk", "name", "city", "country")
        .order_by("name", "pk")
    )


def describe(rule: AudienceRule) -> dict:
    """What a stored rule says, for the pages: country names, kind labels, area names."""
    names = dict(all_countries)
    kinds = dict(Organization.Kind.choices)
    return {
        "everyone": rule.everyone,
        "countries": [names.get(code, code) for code in rule.countries],
        "kinds": [kinds.get(kind, kind) for kind in rule.kinds],
        "areas": [area.name for area in rule.areas.all()],
        "organizations": [organization.name for organization in rule.organizations.all()],
    }
