"""Forms of the community channels and of the weekly digest preference."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .models import Channel

Audience = Channel.Audience


class ChannelForm(forms.ModelForm):
    join_url = forms.URLField(
        label=_("Join link"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_("The invitation link, e.g. https://chat.whatsapp.com/…"),
    )

    class Meta:
        model = Channel
        fields = ["name", "kind", "audience", "country", "area", "description", "join_url"]
        fields += ["position"]
        help_texts = {
            "country": _("Only for a channel of one host country."),
            "area": _("Only for a channel of one area of activity."),
            "position": _("Channels with a lower number come first."),
        }

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


class DigestPreferenceForm(forms.Form):
    receives_digest = forms.BooleanField(
        label=_("Send the weekly digest to the organization's admins"),
        required=False,
        help_text=_(
            "Each Monday: new posts in your areas and country, and the meetings ahead. "
            "Nothing is sent in a week without news."
        ),
    )
