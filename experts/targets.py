"""What else staff may invite an expert to, registered by the apps above: experts names none.

The roster invites to check-ins itself (``services.invite_to_meeting``). An app above it that
has something experts can be asked to take part in registers it from its AppConfig.ready: the
workspace registers its open homeland calls. The staff page of an expert then offers one form
per registered target, and the view hands the chosen object back to the target's ``invite``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet


@dataclass(frozen=True)
class Invited:
    """Something the expert was invited to, as the staff page lists it."""

    title: str
    url: str
    invited_at: datetime


@dataclass(frozen=True)
class Target:
    """One kind of thing experts can be invited to.

    ``choices()`` is what may be chosen now; ``invite(expert=, target=, by=)`` invites once and
    returns whether this call invited (False: already invited, nothing sent) or raises
    ValidationError; ``invited(expert)`` lists the invitations the expert received.
    """

    key: str
    heading: str
    explanation: str
    field_label: str
    empty_label: str
    invalid_choice: str
    choices: Callable[[], QuerySet]
    invite: Callable[..., bool]
    invited: Callable[..., list[Invited]]


_targets: dict[str, Target] = {}


def register(target: Target) -> None:
    _targets.setdefault(target.key, target)


def all_targets() -> list[Target]:
    return list(_targets.values())


def get(key: str) -> Target | None:
    return _targets.get(key)
