"""The staff form of a community channel."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Channel

Audience = Channel.Audience


def _form_field(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["name", "kind", "audience", "country", "area", "description", "join_url"]
        fields += ["position"]
        formfield_callback = _form_field
        help_texts = {
            "country": _("Only for a channel of one host country."),
            "area": _("Only for a channel of one area of activity."),
            "position": _("Channels with a lower number come first."),
        }

    def clean_join_url(self):
        url = self.cleaned_data["join_url"]
        # Django's URL check also lets ftp:// through; members get web links only.
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Enter a web link that starts with https://."))
        return url

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == Audience.COUNTRY:
            if not cleaned.get("country"):
                self.add_error("country", _("Choose the host country of the channel."))
            cleaned["area"] = None
        elif audience == Audience.AREA:
            if not cleaned.get("area"):
                self.add_error("area", _("Choose the area of activity of the channel."))
            cleaned["country"] = ""
        elif audience == Audience.EVERYONE:
            cleaned["country"] = ""
            cleaned["area"] = None
        return cleaned
