"""The public directory of BiH institutions abroad, /institutions/, and one page per institution."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from . import queries
from .filters import InstitutionFilter
from .models import Institution


@require_safe
def directory(request):
    """The shown institutions, filtered by the country they cover and by kind."""
    filterset = InstitutionFilter(request.GET, queryset=queries.public_institutions())
    form = filterset.form
    form.fields["country"].error_messages["invalid_choice"] = _(
        "There is no country with the code “%(value)s”. Choose a country from the list."
    )
    form.fields["kind"].error_messages["invalid_choice"] = _(
        "There is no such kind of institution. Choose one from the list."
    )
    valid = form.is_valid()  # Invalid fields are reported and left out of the filtering.
    institutions = queries.sorted_for_reading(filterset.qs)
    selected_country = form.cleaned_data.get("country") or ""
    country_options = queries.covered_country_options()
    if selected_country and selected_country not in dict(country_options):
        # A country nobody covers yet: keep it chosen, so that "none found" reads right.
        country_options.append((selected_country, countries.name(selected_country)))
    context = {
        "form": form,
        "institutions": institutions,
        "country_options": [("", _("All countries")), *country_options],
        "selected_country": selected_country,
        "kind_options": [("", _("All kinds")), *Institution.Kind.choices],
        "selected_kind": form.cleaned_data.get("kind") or "",
        "filtered": any(form.cleaned_data.get(name) for name in ("country", "kind")),
    }
    return render(request, "institutions/directory.html", context, status=200 if valid else 422)


@require_safe
def detail(request, key):
    institution = queries.public_institution(key)
    if institution is None:
        raise Http404
    return render(request, "institutions/detail.html", {"institution": institution})
