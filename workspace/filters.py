"""The noticeboard's filters, shared by the page and the API."""

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.utils.translation import gettext_lazy as _

from core import search
from core.forms import CountryFilter, CountrySelect
from organizations.models import Area

from .models import Post


class PostFilter(django_filters.FilterSet):
    STATE_CHOICES = [("open", _("Open")), ("closed", _("Closed"))]

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_("Title, place or text. Letters without diacritics work too."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Post.Kind.choices, empty_label=_("All kinds")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area of activity"),
        field_name="areas",
        to_field_name="slug",
        queryset=Area.objects.all(),
        empty_label=_("All areas"),
    )
    country = CountryFilter(
        label=_("Country"),
        empty_label=_("All countries"),
        widget=CountrySelect,
    )
    state = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=STATE_CHOICES,
        method="filter_state",
        empty_label=_("Open and closed"),
    )

    class Meta:
        model = Post
        fields = ["q", "kind", "area", "country", "state"]

    def filter_search(self, queryset, name, value):
        query = search.tsquery(value)
        if query is None:
            return queryset
        return queryset.filter(search_vector=SearchQuery(query, search_type="raw", config="simple"))

    def filter_state(self, queryset, name, value):
        return queryset.filter(closed_at__isnull=value == "open")
