"""Input shape of the roster's forms."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import languages
from core.forms import CountrySelect
from organizations.models import ORGANIZATION_LANGUAGES

from .models import Expert, Expertise


class ListingForm(forms.ModelForm):
    """A person's own listing; the consent box appears while their consent is not current."""

    expertise = forms.ModelMultipleChoiceField(
        label=_("Fields of expertise"),
        queryset=Expertise.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one field of expertise.")},
    )
    languages = forms.TypedMultipleChoiceField(
        label=_("Languages"),
        choices=ORGANIZATION_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    availability = forms.TypedMultipleChoiceField(
        label=_("Available for"),
        choices=Expert.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way you can help.")},
    )
    visibility = forms.ChoiceField(
        label=_("Who may see your listing"),
        choices=Expert.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Expert.Visibility.STAFF,
        help_text=_("Nobody ever sees your e-mail address: messages reach you through the portal."),
    )
    consent = forms.BooleanField(
        label=_("I agree to be listed on the expert roster as described above."),
        error_messages={"required": _("Without your consent you cannot be listed.")},
    )

    class Meta:
        model = Expert
        fields = ["headline", "expertise", "languages", "country", "availability", "bio"]
        fields += ["visibility"]
        widgets = {
            "country": CountrySelect,
            "bio": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, needs_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_consent:
            del self.fields["consent"]
        self.fields["bio"].widget.attrs["maxlength"] = settings.EXPERTS_BIO_MAX_LENGTH
        self.fields["bio"].help_text = _(
            "Plain text, at most %(count)s characters: your experience and how you would like "
            "to help."
        ) % {"count": settings.EXPERTS_BIO_MAX_LENGTH}


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The expert receives it by e-mail with your name and can answer to your address. "
            "Their address is not shown to you."
        ),
    )


class InviteForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=None,
        empty_label=_("Choose a meeting"),
        error_messages={"invalid_choice": _("Choose a scheduled meeting ahead from the list.")},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class TargetInviteForm(forms.Form):
    """Choose what to invite the expert to, among what a registered target offers now."""

    choice = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, target, **kwargs):
        kwargs.setdefault("prefix", target.key)
        super().__init__(*args, **kwargs)
        self.target = target
        field = self.fields["choice"]
        field.queryset = target.choices()
        field.label = target.field_label
        field.empty_label = target.empty_label
        field.error_messages["invalid_choice"] = target.invalid_choice


class ExpertiseForm(forms.ModelForm):
    """A field of expertise with one name per interface language."""

    class Meta:
        model = Expertise
        fields = ["slug", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, language in languages.written(settings.LANGUAGES):
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language},
                max_length=100,
                required=code == settings.LANGUAGE_CODE,
                initial=self.instance.names.get(code, ""),
            )
        self.order_fields([f"name_{code}" for code, _name in languages.written(settings.LANGUAGES)])

    def save(self, commit=True):
        self.instance.names = {
            code: self.cleaned_data[f"name_{code}"].strip()
            for code, _name in languages.written(settings.LANGUAGES)
            if self.cleaned_data.get(f"name_{code}", "").strip()
        }
        return super().save(commit=commit)
