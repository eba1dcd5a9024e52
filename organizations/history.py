"""The change history of an organization, read from django-simple-history's records."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import CommunicationChannel, ContactPerson, Organization

# Bookkeeping fields nobody needs to see in a history.
HIDDEN_FIELDS = {"search_document", "normalized_name", "search_vector", "updated_at", "created_at"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    user: object
    subject: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _display(model, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        choices = dict(model_field.flatchoices)
        return str(choices.get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(model_field, models.ForeignKey):
        return f"#{value}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if hasattr(value, "name") and name == "country":
        return str(value.name)
    return str(value)


def _entries(model, records, subject) -> list[HistoryEntry]:
    """Turn one object's records (oldest first) into entries with old → new per field."""
    entries = []
    previous = None
    for record in records:
        entry = HistoryEntry(
            when=record.history_date,
            user=record.history_user,
            subject=subject(record),
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
            entry.changes = [
                Change(
                    label=str(model._meta.get_field(change.field).verbose_name),
                    old=_display(model, change.field, change.old),
                    new=_display(model, change.field, change.new),
                )
                for change in delta.changes
            ]
        entries.append(entry)
        previous = record
    return entries


def _grouped(records, key):
    groups = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    return groups.values()


def organization_history(organization: Organization) -> list[HistoryEntry]:
    """Every change to the organization, its channels and its contacts, newest first."""
    entries = _entries(
        Organization,
        organization.history.select_related("history_user").order_by("history_date", "history_id"),
        lambda record: str(_("Profile")),
    )
    related = [
        (CommunicationChannel, _("Channel"), lambda r: f"{r.get_kind_display()} {r.value}"),
        (ContactPerson, _("Contact person"), lambda r: r.name),
    ]
    for model, label, describe in related:
        records = (
            model.history.filter(organization_id=organization.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for group in _grouped(records, lambda r: r.id):
            entries += _entries(
                model, group, lambda r, label=label, describe=describe: f"{label}: {describe(r)}"
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
