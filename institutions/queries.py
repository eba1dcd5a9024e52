"""Reads of the public pages, the API and the organization profile: each one query."""

import unicodedata

from django.db.models import QuerySet
from django_countries import countries

from .models import Institution

# Embassies first, as a reader looks for them; the rest by how close they are to the embassy.
KIND_ORDER = {kind: position for position, kind in enumerate(Institution.Kind.values)}


def _folded(name) -> str:
    """The name without diacritics, for sorting as a reader expects ("Švedska" before "Turska")."""
    return unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()


def public_institutions() -> QuerySet[Institution]:
    """The institutions the public may see: those staff marked as shown."""
    return Institution.objects.filter(is_active=True)


def covering(queryset: QuerySet[Institution], country_code: str) -> QuerySet[Institution]:
    """The institutions of ``queryset`` that cover the country ``country_code``.

    ``covered_countries`` is stored as comma-separated two-letter codes, so a code is found as
    a substring only as a whole code ("DE" is never part of "AD,EG").
    """
    return queryset.filter(covered_countries__contains=country_code.upper()[:2])


def sorted_for_reading(institutions) -> list[Institution]:
    """Order by country name (in the reader's language), kind (embassy first), city, name."""
    return sorted(
        institutions,
        key=lambda i: (
            _folded(i.country.name),
            KIND_ORDER.get(i.kind, 99),
            _folded(i.city),
            i.name,
            i.pk,
        ),
    )


def institutions_for_country(country_code: str) -> list[Institution]:
    """The shown institutions that cover ``country_code``, embassy first (one query)."""
    if not country_code:
        return []
    rows = covering(public_institutions(), country_code)
    return sorted(rows, key=lambda i: (KIND_ORDER.get(i.kind, 99), i.city, i.name, i.pk))


def covered_country_options() -> list[tuple[str, str]]:
    """(code, name) of every country some shown institution covers, by name (one query)."""
    codes = set()
    for value in public_institutions().values_list("covered_countries", flat=True):
        items = value.split(",") if isinstance(value, str) else value
        codes.update(getattr(item, "code", item) for item in items if item)
    options = [(code, countries.name(code)) for code in codes]
    return sorted(options, key=lambda row: _folded(row[1]))


def public_institution(key: str) -> Institution | None:
    """The shown institution with ``key``, or None."""
    return public_institutions().filter(key=key).first()


def staff_institutions() -> QuerySet[Institution]:
    """Every institution, shown or not, for the staff list."""
    return Institution.objects.order_by("country", "city", "name", "pk")
