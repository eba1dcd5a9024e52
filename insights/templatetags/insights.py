"""Blocks insights adds to pages other apps own: the home page, the directory, the staff
dashboard. Each is public data (listed organizations, held check-ins, public projects), the same
for every visitor, kept as a public fragment under the page cache's generation."""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.fragments import public_fragment

from .. import geography, queries

register = template.Library()


def _map_context(*, world: bool) -> dict:
    counts = queries.listed_by_country()
    cities = queries.listed_by_city()
    from django_countries import countries

    rows = sorted(
        (
            {
                "code": code,
                "name": countries.name(code) or code,
                "count": count,
                "link": geography.directory_link(code),
                "cities": [
                    (city, n, geography.directory_link(code, city))
                    for city, n in cities.get(code, [])
                ],
            }
            for code, count in counts.items()
        ),
        key=lambda row: (-row["count"], row["name"]),
    )
    return {
        "europe": geography.render("europe", counts, title=_("Map of Europe")),
        "world": geography.render("world", counts, title=_("Map of the world")) if world else "",
        "beyond_europe": geography.beyond_europe(counts),
        "legend": geography.legend(),
        "rows": rows,
        "total": sum(counts.values()),
    }


def _render_map(context, variant: str) -> str:
    def build():
        data = _map_context(world=variant != "home")
        data["variant"] = variant
        if variant == "home":
            data["numbers"] = queries.public_numbers()
        return render_to_string(f"insights/partials/{variant}.html", data)

    return public_fragment(f"insights-{variant}", [], build, request=context.get("request"))


@register.simple_tag(takes_context=True)
def insights_home(context):
    """The home page's figures and small map of Europe."""
    return _render_map(context, "home")


@register.simple_tag(takes_context=True)
def insights_directory_map(context):
    """The directory's map: Europe, the world, and the counts as a table."""
    return _render_map(context, "directory")


@register.simple_tag(takes_context=True)
def insights_dashboard(context):
    """The staff dashboard's way to the charts and report, with the map."""
    return _render_map(context, "dashboard")
