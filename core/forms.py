from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import get_language


class PortalFormRenderer(TemplatesSetting):
    """Render every form the same way: error summary, labels, hints, errors next to fields."""

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"


class CountrySelect(forms.Select):
    """The select of every country: about 250 options, each rendered through Django's option
    template, cost 6 ms per page, most of the directory's time after its queries.

    The choices are the same for every request in one language (django-countries' list, sorted
    by the translated name), so the rendered HTML is kept per process, keyed by everything that
    goes into it: language, name, value, attributes and choices. Bounded, like the Markdown
    excerpts' cache; a new process renders afresh.
    """

    _rendered: dict = {}
    MAX_ENTRIES = 4096

    def render(self, name, value, attrs=None, renderer=None):
        key = repr(
            (
                get_language(),
                name,
                value,
                sorted({**self.attrs, **(attrs or {})}.items()),
                [(str(k), str(v)) for k, v in self.choices],
                self.allow_multiple_selected,
            )
        )
        html = self._rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self._rendered) < self.MAX_ENTRIES:
                self._rendered[key] = html
        return html
