"""One filter set for the public page and the API: the country covered and the kind."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import CountryFilter

from . import queries
from .models import Institution


class InstitutionFilter(django_filters.FilterSet):
    country = CountryFilter(
        label=_("Country"),
        empty_label=_("All countries"),
        method="filter_country",
        help_text=_("The institutions that serve the diaspora in this country."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Institution.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Institution
        fields = ["country", "kind"]

    def filter_country(self, queryset, name, value):
        return queries.covering(queryset, value) if value else queryset
