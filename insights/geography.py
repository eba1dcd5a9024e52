"""The map of listed organizations: vendored country outlines shaded by count, as inline SVG.

The outlines (``geodata/countries.json``) were projected and simplified once from Natural Earth
by ``geodata/build.py``; the portal reads them from disk, never from the network. Europe, where
most of the diaspora lives, has its own view that stays readable on a phone; the world view
below it shows the rest. Each country with organizations is a link that filters the directory,
with a <title> naming it and its count; the table beside the map says the same in text.
"""

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

GEODATA = Path(__file__).resolve().parent / "geodata" / "countries.json"
# Shading steps: a country with at least BREAKS[i] organizations gets class map-c{i + 1}.
BREAKS = (1, 3, 10, 30, 100)


@cache
def outlines() -> dict:
    return json.loads(GEODATA.read_text(encoding="utf-8"))


def shade(count: int) -> int:
    """The shading step of a count: 0 for none, up to len(BREAKS)."""
    return sum(1 for lower in BREAKS if count >= lower)


def legend() -> list[tuple[int, str]]:
    """(step, range in words) for every step with organizations."""
    steps = []
    for index, lower in enumerate(BREAKS):
        upper = BREAKS[index + 1] - 1 if index + 1 < len(BREAKS) else None
        if upper is None:
            text = _("%(lower)s or more") % {"lower": lower}
        elif upper == lower:
            text = str(lower)
        else:
            text = f"{lower}–{upper}"
        steps.append((index + 1, text))
    return steps


def directory_link(code: str, city: str = "") -> str:
    query = {"country": code, **({"city": city} if city else {})}
    return reverse("organizations:directory") + "?" + urlencode(query)


def country_label(code: str, count: int) -> str:
    return ngettext(
        "%(country)s: %(count)s organization", "%(country)s: %(count)s organizations", count
    ) % {"country": countries.name(code) or code, "count": count}


def render(view: str, counts: dict[str, int], *, title: str) -> SafeString:
    """The ``view`` ("europe" or "world") as an SVG, countries shaded by ``counts``."""
    data = outlines()[view]
    parts = [
        format_html(
            '<svg class="map__svg map__svg--{}" xmlns="http://www.w3.org/2000/svg" '
            'viewBox="0 0 {} {}" role="group" aria-label="{}">',
            view,
            data["width"],
            data["height"],
            title,
        ),
        format_html('<rect class="map__sea" width="{}" height="{}"></rect>', *_size(data)),
        format_html('<path class="map__land" d="{}"></path>', data["other"]),
    ]
    linked = []
    for code, path in data["paths"].items():
        count = counts.get(code, 0)
        if not count:
            parts.append(format_html('<path class="map-c0" d="{}"></path>', path))
            continue
        linked.append(
            format_html(
                '<a href="{}" aria-label="{}"><path class="map-c{}" d="{}">'
                "<title>{}</title></path></a>",
                directory_link(code),
                country_label(code, count),
                shade(count),
                path,
                country_label(code, count),
            )
        )
    # Drawn last, so the outline of a focused country is never hidden under its neighbours.
    parts.extend(linked)
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parts))  # noqa: S308 - every part built by format_html


def _size(data: dict) -> tuple[int, int]:
    return data["width"], data["height"]


def beyond_europe(counts: dict[str, int]) -> int:
    """How many organizations are in countries the Europe view does not show."""
    shown = outlines()["europe"]["paths"]
    return sum(count for code, count in counts.items() if code not in shown)
