from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_countries import countries

from accounts.roles import organization_role

from . import queries
from .filters import OrganizationFilter
from .models import ORGANIZATION_LANGUAGES, Organization

MAX_PAGE_PARAMETER = 10


def _partial_requested(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _filtered_without(filterset: OrganizationFilter, name: str):
    """The listed organizations with every valid filter applied except ``name`` (for counts)."""
    queryset = queries.listed_organizations()
    for field, value in filterset.form.cleaned_data.items():
        if field != name:
            queryset = filterset.filters[field].filter(queryset, value)
    return queryset


def _page_number(raw: str | None) -> tuple[int, str | None]:
    """Return the requested page number and an error message if ``raw`` is not one."""
    if raw is None or raw == "":
        return 1, None
    if len(raw) <= MAX_PAGE_PARAMETER and raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return int(raw), None
    return 1, _("The page number must be a whole number from 1 up; showing the first page.")


def _label_choices(form, *, country_counts: dict[str, int], area_counts: list) -> None:
    """Show how many organizations each country and area holds, in the filter's selects.

    Only the displayed options change: the filter validated against every ISO country and area.
    """
    selected_country = form.cleaned_data.get("country") or ""
    country_options = [("", _("All countries"))]
    for code, name in countries:
        count = country_counts.get(code, 0)
        if count or code == selected_country:
            country_options.append((code, f"{name} ({count})"))
    form.fields["country"].widget.choices = country_options

    selected_area = form.cleaned_data.get("area")
    area_options = [("", _("All areas"))]
    for area, count in area_counts:
        if count or area == selected_area:
            area_options.append((area.slug, f"{area.name} ({count})"))
    form.fields["area"].widget.choices = area_options


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

    page_number, page_error = _page_number(request.GET.get("page"))
    paginator = Paginator(queries.directory_cards(filterset.qs), settings.ORGANIZATIONS_PER_PAGE)
    if page_error is None and page_number > paginator.num_pages:
        page_error = _("There are fewer pages of results; showing the last page.")
    page = paginator.get_page(page_number)

    country_counts = queries.country_counts(_filtered_without(filterset, "country"))
    area_counts = queries.area_counts(_filtered_without(filterset, "area"))
    city_counts = []
    if form.cleaned_data.get("country"):
        city_counts = queries.city_counts(_filtered_without(filterset, "city"))
    _label_choices(form, country_counts=country_counts, area_counts=area_counts)

    context = {
        "filterset": filterset,
        "form": form,
        "page": page,
        "paginator": paginator,
        "page_error": page_error,
        "city_counts": city_counts,
        "country_total": len(country_counts),
        "filtered": any(v not in (None, "") for v in form.cleaned_data.values()),
    }
    invalid = bool(form.errors) or page_error is not None
    template = (
        "organizations/partials/directory_body.html"
        if _partial_requested(request)
        else "organizations/directory.html"
    )
    return render(request, template, context, status=422 if invalid else 200)


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
    labels = dict(ORGANIZATION_LANGUAGES)
    context = {
        "organization": organization,
        "role": role,
        "is_admin": is_admin,
        "areas": list(organization.areas.all()),
        "channels": queries.profile_channels(organization, members=role is not None),
        "contacts": queries.profile_contacts(organization, admin=is_admin),
        "languages": [labels[code] for code in organization.languages if code in labels],
    }
    return render(request, "organizations/detail.html", context)
