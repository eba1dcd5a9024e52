"""The roster's filters, shared by the staff search and the members' page."""

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.utils.translation import gettext_lazy as _

from core import search
from core.forms import CountryFilter, CountrySelect
from organizations.models import ORGANIZATION_LANGUAGES

from .models import Expert, Expertise


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_("Name, profession or text. Letters without diacritics work too."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    expertise = django_filters.ModelChoiceFilter(
        label=_("Field of expertise"),
        field_name="expertise",
        to_field_name="slug",
        queryset=Expertise.objects.all(),
        empty_label=_("All fields"),
    )
    country = CountryFilter(
        label=_("Country of residence"),
        empty_label=_("All countries"),
        widget=CountrySelect,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=ORGANIZATION_LANGUAGES,
        method="filter_language",
        empty_label=_("All languages"),
    )
    availability = django_filters.ChoiceFilter(
        label=_("Available for"),
        choices=Expert.Availability.choices,
        method="filter_availability",
        empty_label=_("Any"),
    )

    class Meta:
        model = Expert
        fields = ["q", "expertise", "country", "language", "availability"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        invalid = _("Choose a value from the list.")
        for name in ("expertise", "country", "language", "availability"):
            self.form.fields[name].error_messages["invalid_choice"] = invalid

    def filter_search(self, queryset, name, value):
        query = search.tsquery(value)
        if query is None:
            return queryset
        return queryset.filter(search_vector=SearchQuery(query, search_type="raw", config="simple"))

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=[value])

    def filter_availability(self, queryset, name, value):
        return queryset.filter(availability__contains=[value])
