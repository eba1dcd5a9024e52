"""``{% filter_fields filterset %}``: the fields of a filter form, rendered once per process.

A staff list's filter form (seven fields, the country select among them) costs more than a
page's rows, and so does building it (django-filter makes its form class and copies every
field's choices for each request). Its HTML depends only on the language, the filter set, the
submitted values and the fields' choices, so it is kept, per process, under exactly those. The
choices a field reads from the database (areas, say) are known in one of two ways, so a change
shows at once:

- by the public generation (``core/fragments.py``), when the filter offers every row of a
  model whose committed changes renew it (``page_cache.renews_generation``): one small read
  from the shared cache, shared with the page's public fragments; the form is not even built;
- otherwise by building the form and reading them, as rendering would: they are then part of
  the key.

The other choices are the code's. A bounded least-recently-used table: a flood of random query
strings only replaces old entries.
"""

from collections import OrderedDict

from django import template
from django.conf import settings
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django_filters.filters import QuerySetRequestMixin

from .. import fragments, page_cache

register = template.Library()

MAX_ENTRIES = 512
_rendered: OrderedDict = OrderedDict()


def _model_choices(field: ModelChoiceField) -> list:
    """The field's choices as its own iterator gives them, from one plain query: the iterator
    reads through a server-side cursor (three round trips) for what is a handful of rows."""
    choices = field.iterator(field)
    queryset, choices.queryset = choices.queryset, choices.queryset.none()
    leading = list(iter(choices))  # the empty label (and a "null" choice), no query
    return [*leading, *(choices.choice(instance) for instance in queryset)]


def _read_model_choices(form) -> None:
    """Give each field whose choices come from the database its choices as a list, read once:
    the key holds them (unless the generation stands for them) and the fields are rendered
    from that list."""
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField):
            field.widget.choices = _model_choices(field)


def _whole_table_of_public_model(queryset) -> bool:
    """True if the queryset is every row of a model whose changes renew the generation: no
    filter, annotation or slice that could depend on anything else (who is asking, say)."""
    if not isinstance(queryset, QuerySet):  # a callable of the request, say
        return False
    query = queryset.query
    return (
        page_cache.renews_generation(queryset.model)
        and not query.where
        and not query.annotations
        and not query.extra
        and not query.low_mark
        and query.high_mark is None
    )


def _generation_for_choices(filterset, request) -> str:
    """The public generation, if it stands for every database choice of the filter set's form
    (and public fragments are kept at all); empty otherwise, or when the shared cache is down."""
    if not settings.FRAGMENT_CACHE_SECONDS:
        return ""
    declared = filterset._meta.form.base_fields.values()
    if any(isinstance(field, ModelChoiceField) for field in declared):
        return ""
    reading = [f for f in filterset.filters.values() if isinstance(f, QuerySetRequestMixin)]
    if not reading:
        return ""
    for filter_ in reading:
        if type(filter_).get_queryset is not QuerySetRequestMixin.get_queryset:
            return ""
        if not _whole_table_of_public_model(filter_.queryset):
            return ""
    return fragments.current_generation(request)


def _database_choices(form) -> tuple:
    return tuple(
        (name, tuple((str(value), str(label)) for value, label in field.widget.choices))
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    )


def _key(filterset, choices) -> tuple:
    """Everything the fields' HTML depends on: language, filters, submitted values, choices."""
    data = filterset.data  # {} when the filter set is not bound
    fields = tuple(
        (
            name,
            str(filter_.label),
            tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name),
        )
        for name, filter_ in filterset.filters.items()
    )
    kind = type(filterset).__qualname__
    return (get_language(), kind, filterset.form_prefix, filterset.is_bound, fields, choices)


@register.simple_tag(takes_context=True)
def filter_fields(context, filterset) -> SafeString:
    """Each field of a django-filter filter set's form as a field group in its wrapper, as the
    staff list page lays them out."""
    current = _generation_for_choices(filterset, context.get("request"))
    if current:
        key = _key(filterset, ("generation", current))
    else:
        _read_model_choices(filterset.form)
        key = _key(filterset, _database_choices(filterset.form))
    html = _rendered.get(key)
    if html is not None:
        _rendered.move_to_end(key)
        return html
    form = filterset.form
    if current:
        _read_model_choices(form)
    html = format_html_join(
        "\n",
        '<div class="field{}">{}</div>',
        ((" field--error" if field.errors else "", field.as_field_group()) for field in form),
    )
    _rendered[key] = html
    if len(_rendered) > MAX_ENTRIES:
        _rendered.popitem(last=False)
    return html
