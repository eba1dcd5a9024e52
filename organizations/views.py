import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_countries import countries

from accounts.roles import is_staff_session
from core import fragments, pages, search
from institutions.queries import institutions_for_country

from . import facets, queries
from .filters import OrganizationFilter
from .models import ORGANIZATION_LANGUAGES, Organization
from .roles import organization_role


def _partial_requested(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _filtered_without(filterset: OrganizationFilter, name: str):
    """The listed organizations with every valid filter applied except ``name`` (for counts)."""
    queryset = queries.listed_organizations()
    for field, value in filterset.form.cleaned_data.items():
        if field != name:
            queryset = filterset.filters[field].filter(queryset, value)
    return queryset


def _filters_without(filterset: OrganizationFilter, name: str) -> dict:
    return {k: v for k, v in filterset.form.cleaned_data.items() if k != name}


def _counts(request, name: str, filterset: OrganizationFilter, count):
    """``count`` over the directory filtered by all but ``name``, from the short facet cache."""
    return facets.cached_counts(
        name,
        _filters_without(filterset, name),
        lambda: count(_filtered_without(filterset, name)),
        request=request,
    )


def _city_links(request, city_counts, *, chosen: str) -> list[tuple[str, int, str, bool]]:
    """Each city with its count, its link and whether it is the chosen one. The link is the
    page's query with that city and no page number, as ``{% querystring city=… page=None %}``
    writes it, but from one copy of the query for all the cities (up to 30) instead of one
    each."""
    marker = "city-" + secrets.token_hex(8)
    params = request.GET.copy()
    params["city"] = marker
    params.pop("page", None)
    pattern, placeholder = "?" + params.urlencode(), urlencode({"city": marker})
    chosen = chosen.lower()
    return [
        (
            city,
            count,
            pattern.replace(placeholder, urlencode({"city": city})),
            city.lower() == chosen,
        )
        for city, count in city_counts
    ]


def _select_options(form, *, country_counts: dict[str, int], area_counts: list) -> dict:
    """The options of the country and area selects, each with its number of organizations.

    Only countries and areas that hold organizations are offered (and the chosen one); the filter
    itself validated against every ISO country and every area.
    """
    selected_country = form.cleaned_data.get("country") or ""
    shown = {code: count for code, count in country_counts.items() if count}
    if selected_country:
        shown.setdefault(selected_country, 0)
    # Sorted as a reader expects: "Švedska" between "Slovenija" and "Turska".
    named = sorted(
        ((countries.name(code), code, count) for code, count in shown.items()),
        key=lambda row: search.fold(row[0]),
    )
    country_options = [("", _("All countries"))]
    country_options += [(code, f"{name} ({count})") for name, code, count in named]

    selected_area = form.cleaned_data.get("area")
    area_options = [("", _("All areas"))]
    area_options += [
        (area.slug, f"{area.name} ({count})")
        for area, count in area_counts
        if count or area == selected_area
    ]
    return {"country_options": country_options, "area_options": area_options}


@require_safe
@vary_on_headers("HX-Request")
def directory(request):
    """The public directory: approved organizations, searched and filtered, a page at a time."""
    filterset = OrganizationFilter(request.GET, queryset=queries.listed_organizations())
    form = filterset.form
    form.fields["country"].error_messages["invalid_choice"] = _(
        "There is no country with the code “%(value)s”. Choose a country from the list."
    )
    form.fields["area"].error_messages["invalid_choice"] = _(
        "There is no such area of activity. Choose an area from the list."
    )
    form.is_valid()  # Invalid fields are reported and left out of the filtering.

    # The counts this page asks for first (per country, and per city within a chosen country),
    # read in one round trip; the areas' only when the filter fields are built.
    counted = ["country", "city"] if form.cleaned_data.get("country") else ["country"]
    facets.expect(request, [(name, _filters_without(filterset, name)) for name in counted])
    country_counts = _counts(request, "country", filterset, queries.country_counts)
    number, page_error = pages.page_number(request.GET.get("page"))
    paginator = Paginator(queries.directory_cards(filterset.qs), settings.ORGANIZATIONS_PER_PAGE)
    # The counts per country already hold the total: no separate COUNT(*) over the registry.
    country = form.cleaned_data.get("country")
    paginator.count = country_counts.get(country, 0) if country else sum(country_counts.values())
    page, page_error = pages.page_of(paginator, number, page_error)

    # The selects' options are read in the template, inside the filter fields' public fragment:
    # not at all when it is cached.
    area_counts = SimpleLazyObject(lambda: _counts(request, "area", filterset, queries.area_counts))
    city_counts = []
    if form.cleaned_data.get("country"):
        city_counts = _city_links(
            request,
            _counts(request, "city", filterset, queries.city_counts),
            chosen=form.cleaned_data.get("city") or "",
        )
    selected_area = form.cleaned_data.get("area")

    context = {
        "filterset": filterset,
        "form": form,
        "page": page,
        "paginator": paginator,
        "page_error": page_error,
        "city_counts": city_counts,
        "country_total": len(country_counts),
        "select_options": SimpleLazyObject(
            lambda: _select_options(form, country_counts=country_counts, area_counts=area_counts)
        ),
        "selected_country": form.cleaned_data.get("country") or "",
        "selected_area": selected_area.slug if selected_area else "",
        "filtered": any(v not in (None, "") for v in form.cleaned_data.values()),
    }
    invalid = bool(form.errors) or page_error is not None
    partial = _partial_requested(request)
    _expect_directory_fragments(request, form, page, context["selected_area"], partial=partial)
    template = (
        "organizations/partials/directory_body.html" if partial else "organizations/directory.html"
    )
    return render(request, template, context, status=422 if invalid else 200)


def _expect_directory_fragments(request, form, page, selected_area: str, *, partial: bool):
    """Read the directory's public fragments in one round trip with the generation, named and
    valued as its templates ask for them: the filter fields, the cards and (on the whole page)
    the map. A name or value that differs from the template's only costs a read."""
    data, cleaned = request.GET, form.cleaned_data
    expected = [
        ("directory-filters", [data.get(name, "") for name in ("q", "country", "city", "area")]),
        (
            "organization-cards",
            [page.number, *(cleaned.get(name, "") for name in ("q", "country", "city"))]
            + [selected_area],
        ),
    ]
    if not partial:
        expected.append(("insights-directory", []))
    fragments.expect(request, expected)


@require_safe
def detail(request, slug):
    """An organization's profile: public for approved ones, and for its own people in any state."""
    organization = queries.profile_organization(slug)
    if organization is None:
        raise Http404
    role = organization_role(request.user, organization)
    if organization.status != Organization.Status.APPROVED and role is None:
        raise Http404
    is_admin = role == "admin"
    members = role is not None or is_staff_session(request)
    public = organization.is_listed
    labels = dict(ORGANIZATION_LANGUAGES)
    # Read lazily, in the template: an approved organization's public parts come from public
    # fragments (the parts that are the same for everyone), and their queries run only when
    # a fragment is built. Who sees what stays with profile_channels and profile_contacts.
    context = {
        "organization": organization,
        "role": role,
        "is_admin": is_admin,
        "public": public,
        "areas": organization.areas.all(),
        "channels": SimpleLazyObject(
            lambda: queries.profile_channels(organization, members=members)
        ),
        "public_channels": public and not members,
        "contacts": SimpleLazyObject(
            lambda: queries.profile_contacts(organization, admin=is_admin)
        ),
        "public_contacts": public and not is_admin,
        # Members and admins see more than the public parts (members include the admins).
        "public_only": public and not members,
        "languages": [labels[code] for code in organization.languages if code in labels],
        "institutions": SimpleLazyObject(
            lambda: institutions_for_country(organization.country.code)
        ),
    }
    if public and members:  # members read two fragments: in one go (as the template names them)
        side = "profile-contacts-institutions" if not is_admin else "profile-institutions"
        fragments.expect(request, [("profile-main", [organization.pk]), (side, [organization.pk])])
    return render(request, "organizations/detail.html", context)
