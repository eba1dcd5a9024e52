"""One filter set for the directory, the API, and (extended) the staff list and its CSV export."""

from datetime import timedelta

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import search
from core.forms import CountryFilter, CountrySelect

from .models import Area, Organization


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_("Name, city or description. Letters without diacritics work too."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = CountryFilter(
        label=_("Country"),
        empty_label=_("All countries"),
        widget=CountrySelect,
    )
    city = django_filters.CharFilter(label=_("City"), lookup_expr="iexact", max_length=100)
    area = django_filters.ModelChoiceFilter(
        label=_("Area of activity"),
        field_name="areas",
        to_field_name="slug",
        queryset=Area.objects.all(),
        empty_label=_("All areas"),
    )

    class Meta:
        model = Organization
        fields = ["q", "country", "city", "area"]

    def filter_search(self, queryset, name, value):
        query = search.tsquery(value)
        if query is None:
            return queryset
        return queryset.filter(search_vector=SearchQuery(query, search_type="raw", config="simple"))


class StaffOrganizationFilter(OrganizationFilter):
    """The directory's filters plus what only staff ask: status, freshness, documents checked."""

    FRESHNESS_CHOICES = [
        ("current", _("Current")),
        ("stale", _("Not confirmed for a long time")),
        ("dormant", _("Dormant")),
    ]
    VERIFIED_CHOICES = [("yes", _("Documents checked")), ("no", _("Documents not checked"))]

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Organization.Status.choices, empty_label=_("Every status")
    )
    freshness = django_filters.ChoiceFilter(
        label=_("Freshness"),
        choices=FRESHNESS_CHOICES,
        method="filter_freshness",
        empty_label=_("Any"),
    )
    verified = django_filters.ChoiceFilter(
        label=_("Documents checked"),
        choices=VERIFIED_CHOICES,
        method="filter_verified",
        empty_label=_("Any"),
    )

    class Meta(OrganizationFilter.Meta):
        fields = [*OrganizationFilter.Meta.fields, "status", "freshness", "verified"]

    def filter_freshness(self, queryset, name, value):
        stale_before = timezone.now() - timedelta(days=settings.ORGANIZATION_FRESHNESS_DAYS)
        if value == "dormant":
            return queryset.filter(dormant_since__isnull=False)
        if value == "stale":
            return queryset.filter(dormant_since__isnull=True, last_confirmed_at__lt=stale_before)
        if value == "current":
            return queryset.filter(dormant_since__isnull=True, last_confirmed_at__gte=stale_before)
        return queryset

    def filter_verified(self, queryset, name, value):
        return queryset.filter(verified_at__isnull=value != "yes")
