"""One filter set for the directory, the API, and (extended) the staff list and its CSV export."""

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import search
from .models import Area, Organization


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_("Name, city or description. Letters without diacritics work too."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=lambda: list(countries), empty_label=_("All countries")
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
