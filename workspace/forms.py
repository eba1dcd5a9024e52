"""Input shapes of the noticeboard: a post, an expression of interest, moderation, stages."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from organizations.models import Area

from .models import FocalPoint, Interest, Post

# What an attachment may be: the first bytes of each allowed type, by extension.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


HOMELAND_FIELDS = ["seeking", "eligibility", "how_to_apply", "results"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to WORKSPACE_MAX_ATTACHMENTS files, each a PDF, PNG or JPEG by its content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > settings.WORKSPACE_MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)s files."),
                code="too_many_files",
                params={"count": settings.WORKSPACE_MAX_ATTACHMENTS},
            )
        return [self._check(upload) for upload in uploads]

    def _check(self, upload):
        upload = super().clean(upload)
        if upload.size > settings.WORKSPACE_ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                _("“%(name)s” is too large. The limit is %(limit)s."),
                code="file_too_large",
                params={
                    "name": upload.name,
                    "limit": filesizeformat(settings.WORKSPACE_ATTACHMENT_MAX_BYTES),
                },
            )
        extension = Path(upload.name).suffix.lower()
        head = upload.read(16)
        upload.seek(0)
        content_type, signatures = ATTACHMENT_TYPES.get(extension, ("", ()))
        if not signatures or not head.startswith(signatures):
            raise ValidationError(
                _("“%(name)s” is not a PDF, PNG or JPEG file."),
                code="invalid_attachment_type",
                params={"name": upload.name},
            )
        upload.checked_extension = ".jpg" if extension == ".jpeg" else extension
        upload.checked_content_type = content_type
        return upload


class PostForm(forms.ModelForm):
    organization = forms.TypedChoiceField(
        label=_("Post for"), coerce=int, empty_value=None, required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of activity"),
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attachments = AttachmentsField(
        label=_("Files"),
        help_text=_("PDF, PNG or JPEG, up to %(size)s each.")
        % {"size": filesizeformat(settings.WORKSPACE_ATTACHMENT_MAX_BYTES)},
    )

    class Meta:
        model = Post
        fields = [
            "kind",
            "organization",
            "title",
            "body",
            "country",
            "city",
            "areas",
            "deadline",
            "language",
            "visibility",
            "seeking",
            "eligibility",
            "how_to_apply",
            "results",
            "contact_name",
            "contact_email",
            "contact_phone",
            "attachments",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "eligibility": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "contact_email": _(
                "Shown only to members of approved organizations and ministry staff."
            ),
            "seeking": _("For calls from the homeland."),
            "eligibility": _("For calls for grants or awards."),
            "how_to_apply": _("For calls for grants or awards."),
            "results": _("For calls for grants or awards: who received them, once decided."),
        }

    def __init__(self, *args, kinds, organizations, staff: bool, focal_point: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.fields["kind"].choices = [
            (value, label) for value, label in Post.Kind.choices if value in kinds
        ]
        choices = [(org.pk, org.name) for org in organizations]
        if staff:
            choices.insert(0, ("", _("The ministry")))
        elif focal_point:
            choices.insert(0, ("", _("My municipality")))
        self.fields["organization"].choices = choices
        self.organizations = {org.pk: org for org in organizations}
        if self.instance.pk:
            # The kind and the organization of a post stay what they were.
            del self.fields["kind"]
            del self.fields["organization"]
        elif len(choices) == 1:
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["organization"].initial = choices[0][0]
        # With a single organization and nothing else to choose, a missing value means it.
        self.default_organization = (
            organizations[0] if len(choices) == 1 and organizations else None
        )
        # The fields of calls from the homeland only for those who write or edit one.
        homeland = (
            self.instance.kind in Post.HOMELAND_KINDS
            if self.instance.pk
            else any(kind in Post.HOMELAND_KINDS for kind in kinds)
        )
        if not homeland:
            for name in HOMELAND_FIELDS:
                del self.fields[name]
        self.fields["body"].required = True
        self.fields["deadline"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def clean_organization(self):
        value = self.cleaned_data.get("organization")
        if value is None:
            return self.default_organization
        if value not in self.organizations:
            raise ValidationError(_("Choose one of your organizations."), code="invalid_choice")
        return self.organizations[value]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk or self.staff:
            return cleaned
        kind, organization = cleaned.get("kind"), cleaned.get("organization")
        if kind in Post.HOMELAND_KINDS and organization is not None:
            self.add_error(
                "organization",
                _("Post calls from the homeland for your municipality, not an organization."),
            )
        elif kind and kind not in Post.HOMELAND_KINDS and organization is None:
            self.add_error("organization", _("Choose the organization this post is for."))
        return cleaned

    def post_data(self) -> dict:
        """The post's own fields, for the services."""
        skip = {"areas", "attachments", "organization"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class InterestForm(forms.ModelForm):
    organization = forms.TypedChoiceField(
        label=_("Your organization"), coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = Interest
        fields = ["organization", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        labels = {"message": _("Short message")}
        help_texts = {"message": _("What your organization would bring, in a few sentences.")}

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {org.pk: org for org in organizations}
        self.fields["organization"].choices = [(org.pk, org.name) for org in organizations]
        if len(organizations) == 1:
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["organization"].initial = organizations[0].pk

    def clean_organization(self):
        value = self.cleaned_data["organization"]
        if value is None and len(self.organizations) == 1:
            return next(iter(self.organizations.values()))
        if value not in self.organizations:
            raise ValidationError(_("Choose one of your organizations."), code="invalid_choice")
        return self.organizations[value]

    def _post_clean(self):
        # The post is set by the service; skip the model's own validation here.
        pass


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author sees it."),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Post.Stage.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    follow_up = forms.CharField(
        label=_("Public follow-up"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When done: a few sentences on what came of it, shown on the post."),
    )


class FocalPointForm(forms.ModelForm):
    class Meta:
        model = FocalPoint
        fields = ["municipality", "position", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class RejectFocalPointForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
