"""``{% filter_fields form %}``: the fields of a filter form, rendered once per process.

A staff list's filter form (seven fields, the country select among them) costs more than a
page's rows. Its HTML depends only on the language, the submitted values and the fields'
choices, so it is kept, per process, under exactly those: the choices a field reads from the
database (areas, say) are read once, as rendering would, and are part of the key, so a change
shows at once; the other choices are the code's. A
bounded least-recently-used table: a flood of random query strings only replaces old entries.
"""

from collections import OrderedDict

from django import template
from django.forms import ModelChoiceField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

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
    the key holds them and, when the fields are rendered, they are rendered from that list."""
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField):
            field.widget.choices = _model_choices(field)


def _key(form) -> tuple:
    """Everything the fields' HTML depends on: language, fields, submitted values, choices."""
    data = form.data if form.is_bound else {}
    fields = tuple(
        (
            name,
            str(field.label),
            tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name),
        )
        for name, field in form.fields.items()
    )
    choices = tuple(
        (name, tuple((str(value), str(label)) for value, label in field.widget.choices))
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    )
    return (get_language(), type(form).__qualname__, form.prefix, fields, choices)


@register.simple_tag
def filter_fields(form) -> SafeString:
    """Each field as a field group in its wrapper, as the staff list page lays them out."""
    _read_model_choices(form)
    key = _key(form)
    html = _rendered.get(key)
    if html is not None:
        _rendered.move_to_end(key)
        return html
    html = format_html_join(
        "\n",
        '<div class="field{}">{}</div>',
        ((" field--error" if field.errors else "", field.as_field_group()) for field in form),
    )
    _rendered[key] = html
    if len(_rendered) > MAX_ENTRIES:
        _rendered.popitem(last=False)
    return html
