"""The weekly digest switch of an organization."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DigestPreferenceForm(forms.Form):
    receives_digest = forms.BooleanField(
        label=_("Send the weekly digest to the organization's admins"),
        required=False,
        help_text=_(
            "Each Monday: new posts in your areas and country, and the meetings ahead. "
            "Nothing is sent in a week without news."
        ),
    )
