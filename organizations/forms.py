"""Input shapes for the staff side and the organizations' self-service pages."""

import io
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

from core import languages

from .models import (
    ORGANIZATION_LANGUAGES,
    Area,
    CommunicationChannel,
    ContactPerson,
    Membership,
    Organization,
)

LOGO_MAX_SIDE = 800
LOGO_MAX_PIXELS = 40_000_000


class LogoField(forms.ImageField):
    """An image, size-limited, re-encoded as PNG so nothing but pixels is stored."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if data.size > settings.ORGANIZATION_LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo is too large. The limit is %(limit)s."),
                code="file_too_large",
                params={"limit": filesizeformat(settings.ORGANIZATION_LOGO_MAX_BYTES)},
            )
        # Django's ImageField checks with Pillow that the file is an image.
        checked = super().to_python(data)
        try:
            checked.seek(0)
            with Image.open(checked) as image:
                if image.width * image.height > LOGO_MAX_PIXELS:
                    raise ValidationError(_("The image has too many pixels."), code="too_big")
                image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
                converted = image.convert("RGBA")
                out = io.BytesIO()
                converted.save(out, format="PNG", optimize=True)
        except (OSError, Image.DecompressionBombError, ValueError) as exc:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc
        return SimpleUploadedFile(f"{uuid.uuid4().hex}.png", out.getvalue(), "image/png")


class OrganizationProfileForm(forms.ModelForm):
    """What an organization's admins may change on their profile."""

    languages = forms.TypedMultipleChoiceField(
        label=_("Languages"),
        choices=ORGANIZATION_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of activity"),
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    logo = LogoField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG, JPEG or WebP image."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
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
            "areas",
            "languages",
            "logo",
            "size",
            "preferred_language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}


class StaffOrganizationForm(OrganizationProfileForm):
    """Staff change every field, including the slug and the internal notes; never the status."""

    class Meta(OrganizationProfileForm.Meta):
        fields = ["name", "slug", *OrganizationProfileForm.Meta.fields[1:], "staff_notes"]
        widgets = {
            **OrganizationProfileForm.Meta.widgets,
            "staff_notes": forms.Textarea(attrs={"rows": 4}),
        }


class ChannelForm(forms.ModelForm):
    class Meta:
        model = CommunicationChannel
        fields = ["kind", "value", "visibility"]

    def clean_value(self):
        value = self.cleaned_data["value"].strip()
        if "://" in value or value.lower().startswith("www."):
            link = value if "://" in value else f"https://{value}"
            try:
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError:
                raise ValidationError(
                    _("Enter a link starting with https:// or a handle such as @name."),
                    code="invalid",
                ) from None
            return link
        return value


ChannelFormSet = forms.inlineformset_factory(
    Organization,
    CommunicationChannel,
    form=ChannelForm,
    extra=0,
    can_delete=True,
    max_num=30,
    validate_max=True,
)

ContactFormSet = forms.inlineformset_factory(
    Organization,
    ContactPerson,
    fields=["name", "role", "email", "phone", "is_public"],
    extra=0,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organization's admins receive it by e-mail."),
        error_messages={"required": _("Say why the organization is rejected.")},
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the staff; not sent to the organization."),
    )


class AreaForm(forms.ModelForm):
    """An area with one name per interface language."""

    class Meta:
        model = Area
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


class InviteMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
