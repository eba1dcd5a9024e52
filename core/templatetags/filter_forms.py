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


def _key(form) -> tuple:
    data = form.data if form.is_bound else {}
    values = tuple(
        (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name))
        for name in form.fields
    )
    choices = []
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField):
            # Read from the database once, and rendered from this very list.
            field.widget.choices = _model_choices(field)
            choices.append((name, tuple((str(v), str(label)) for v, label in field.widget.choices)))
    return (get_language(), type(form).__qualname__, form.prefix, values, tuple(choices))


@register.simple_tag
def filter_fields(form) -> SafeString:
    """Each field as a field group in its wrapper, as the staff list page lays them out."""
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
