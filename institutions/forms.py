"""The staff's institution form (also used to check each row of a CSV import) and the upload."""

from django import forms
from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Institution

FIELDS = [
    "key",
    "name",
    "local_name",
    "kind",
    "country",
    "city",
    "address",
    "phone",
    "email",
    "website",
    "covered_countries",
    "opening_notes",
    "is_active",
]


def _form_field(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = FIELDS
        formfield_callback = _form_field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered_countries"].widget.attrs["size"] = 8


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8, one institution per row, the columns described below. At most %(size)s."
        ) % {"size": filesizeformat(settings.INSTITUTIONS_IMPORT_MAX_BYTES)}
