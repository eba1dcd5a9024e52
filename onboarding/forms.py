"""One form per step of the guided registration, and the forms of invitations and guides."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from organizations.forms import ChannelFormSet, ContactFormSet
from organizations.models import ORGANIZATION_LANGUAGES, Area, Organization
from organizations.services import similar_organizations

from .models import Guide

WISHES = [
    ("projects", _("Joint projects with BiH")),
    ("knowledge", _("Knowledge exchange with other organizations")),
    ("events", _("Events and check-in meetings")),
    ("partners", _("Partners in Bosnia and Herzegovina")),
]


class BasicsForm(forms.ModelForm):
    """The organization's name, place and public details, with the duplicate check."""

    different_organization = forms.BooleanField(
        label=_("We are a different organization"),
        required=False,
        help_text=_("Ministry staff see this choice when they review the registration."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "country",
            "city",
            "founding_year",
            "website",
            "public_email",
            "public_phone",
            "description",
            "size",
            "preferred_language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "public_email": _(
                "Shown on the public profile. Leave it empty if the organization has no address "
                "for the public: your own address is not used unless you enter it here."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.similar = []

    def clean(self):
        cleaned = super().clean()
        name, country = cleaned.get("name"), cleaned.get("country")
        if name and country:
            # Listed organizations only: pending, rejected or archived ones stay unnamed
            # (staff check every registration for duplicates at review).
            self.similar = similar_organizations(name=name, country=str(country), listed_only=True)
        if self.similar and not cleaned.get("different_organization"):
            self.add_error(
                "different_organization",
                _(
                    "An organization with a similar name is already registered in this country. "
                    "If it is yours, ask its admins to invite you instead; otherwise tick this "
                    "box."
                ),
            )
        return cleaned


class ContactsStep:
    """The channel and contact person formsets of the contacts step, as one step form.

    A POST with ``add=channels`` (or ``contacts``) adds an empty row and keeps what was typed,
    without judging it yet, with or without JavaScript.
    """

    KINDS = ("channels", "contacts")

    def __init__(self, data=None, *, adding=None, initial=None):
        self.adding = adding if adding in self.KINDS else None
        if data is not None and self.adding:
            data = data.copy()
            key = f"{self.adding}-TOTAL_FORMS"
            try:
                data[key] = str(min(int(data.get(key, 0)) + 1, 30))
            except ValueError:
                data[key] = "1"
        self.data = data
        organization = Organization()
        self.channels = ChannelFormSet(data, instance=organization, prefix="channels")
        self.contacts = ContactFormSet(
            data, instance=organization, prefix="contacts", initial=initial or None
        )
        if data is None and initial:
            # Rows filled in from what the portal already knows, e.g. the account's address.
            self.contacts.extra = len(initial)
        if self.adding:
            self.forget_errors()

    @property
    def formsets(self):
        return [self.channels, self.contacts]

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def forget_errors(self) -> None:
        for formset in self.formsets:
            if formset.is_bound:
                formset.full_clean()
                formset._non_form_errors = ErrorList()
                formset._errors = [ErrorDict() for _form in formset.forms]
                for form in formset.forms:
                    form._errors = ErrorDict()

    def is_valid(self) -> bool:
        return all([formset.is_valid() for formset in self.formsets])

    @property
    def has_errors(self) -> bool:
        return any(formset.total_error_count() for formset in self.formsets if formset.is_bound)

    def save(self, *, organization) -> None:
        for formset in self.formsets:
            formset.instance = organization
            for instance in formset.save(commit=False):
                instance.organization = organization
                instance.save()


class AreasForm(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of activity"),
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=ORGANIZATION_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wishes = forms.MultipleChoiceField(
        label=_("What do you want from the network?"),
        choices=WISHES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wishes_other = forms.CharField(
        label=_("Anything else you hope for"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    public_profile = forms.BooleanField(
        label=_("I agree that the public parts of our profile are shown in the directory."),
        error_messages={"required": _("Without this consent the organization cannot be listed.")},
    )
    data_processing = forms.BooleanField(
        label=_("I have read the data processing notice and agree to it."),
        error_messages={"required": _("Agree to the data processing notice to go on.")},
    )


class ReviewForm(forms.Form):
    """Nothing to type: submitting the review step submits the registration."""


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the organization"))
    organization_name = forms.CharField(
        label=_("Organization's name"),
        max_length=200,
        required=False,
        help_text=_("Filled in for them in the registration."),
    )
    country = CountryField(blank=True).formfield(label=_("Country"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=settings.LANGUAGES, initial="bs"
    )
    message = forms.CharField(
        label=_("Personal message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None and len(organizations) > 1:
            self.fields["inviting_organization"] = forms.ModelChoiceField(
                label=_("Invite on behalf of"),
                queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
            )
        self.organizations = organizations

    def clean(self):
        cleaned = super().clean()
        if self.organizations is not None and len(self.organizations) == 1:
            cleaned["inviting_organization"] = self.organizations[0]
        return cleaned


# What a guide's attachment may be: the first bytes of each allowed type, by extension.
ATTACHMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = ["title", "topic", "language", "body", "attachment", "position", "is_published"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "attachment": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
            ),
        }
        help_texts = {"attachment": _("A PDF, PNG or JPEG file.")}

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # nothing new uploaded
        if upload.size > settings.ONBOARDING_GUIDE_MAX_BYTES:
            raise ValidationError(
                _("The file is too large. The limit is %(limit)s."),
                code="file_too_large",
                params={"limit": filesizeformat(settings.ONBOARDING_GUIDE_MAX_BYTES)},
            )
        extension = Path(upload.name).suffix.lower()
        head = upload.read(16)
        upload.seek(0)
        signatures = ATTACHMENT_SIGNATURES.get(extension)
        if not signatures or not head.startswith(signatures):
            raise ValidationError(
                _("Attach a PDF, PNG or JPEG file."), code="invalid_attachment_type"
            )
        upload.name = f"{uuid.uuid4().hex}{extension}"
        return upload
