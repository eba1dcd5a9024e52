import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import languages
from organizations.models import Organization

from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, Series

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def _organizations():
    return Organization.objects.filter(status=Organization.Status.APPROVED).only(
        "pk", "name", "city", "country"
    )


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.city}, {obj.country.code})"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT_FORMAT, **kwargs)


class WallTimeField(forms.DateTimeField):
    """A date and time as typed, without a zone: the form places it in the zone chosen with it.

    Django's own field reads the digits in the server's zone first, which refuses a time that
    does not exist there (the spring gap in Sarajevo) even when it exists in the chosen zone.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None) if timezone.is_aware(value) else value
        return forms.fields.BaseTemporalField.to_python(self, value)


def in_zone(naive: datetime, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """The wall time ``naive`` in ``zone``, or None when the zone skips it (clocks go forward).

    A time the zone has twice (clocks go back) is the first of the two.
    """
    aware = naive.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return aware


WALL_TIME_FORMATS = [LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class MeetingForm(forms.ModelForm):
    """The meeting's fields; times are typed in the organizer's zone and stored in UTC."""

    starts_at = WallTimeField(
        label=_("Starts at"),
        widget=LocalDateTimeInput(),
        input_formats=WALL_TIME_FORMATS,
        help_text=_("In the organizer's time zone."),
    )
    ends_at = WallTimeField(
        label=_("Ends at"),
        widget=LocalDateTimeInput(),
        input_formats=WALL_TIME_FORMATS,
        help_text=_("In the organizer's time zone."),
    )
    time_zone = forms.ChoiceField(label=_("Organizer's time zone"), initial="Europe/Sarajevo")

    class Meta:
        model = Meeting
        fields = [
            "series",
            "number",
            "kind",
            "title",
            "description",
            "organizer",
            "time_zone",
            "starts_at",
            "ends_at",
            "video_url",
            "place",
            "scope",
            "host_country",
            "stream_url",
            "recording_url",
            "staff_notes",
            "reminder_offsets",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]
        self.fields["time_zone"].error_messages["invalid_choice"] = _(
            "Choose a time zone from the list, such as Europe/Sarajevo."
        )
        self.fields["series"].queryset = Series.objects.all()
        # A callable default would add a hidden "initial-" copy of the field (invalid HTML).
        self.fields["reminder_offsets"].show_hidden_initial = False
        if self.instance.pk:
            zone = self.instance.zone
            for name in ("starts_at", "ends_at"):
                value = getattr(self.instance, name)
                self.initial[name] = timezone.localtime(value, zone).strftime(LOCAL_INPUT_FORMAT)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                value = cleaned.get(name)
                if not isinstance(value, datetime):
                    continue
                # The digits as typed mean the organizer's zone.
                aware = in_zone(value, zone)
                if aware is None:
                    self.add_error(
                        name,
                        _(
                            "%(time)s does not exist in the time zone %(zone)s: the clocks "
                            "are put forward then. Choose another time."
                        )
                        % {"time": value.strftime("%H:%M"), "zone": zone_name},
                    )
                    continue
                cleaned[name] = aware
                setattr(self.instance, name, aware)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if cleaned.get("scope") == Meeting.Scope.COUNTRY and not cleaned.get("host_country"):
            self.add_error("host_country", _("Choose the host country of this meeting."))
        if cleaned.get("scope") == Meeting.Scope.EVERYONE and cleaned.get("host_country"):
            self.add_error("host_country", _("Leave the country empty for a meeting for everyone."))
        return cleaned

    def _post_clean(self):
        # The form reports the scope and time problems next to their fields (clean() above).
        if self.errors:
            return
        super()._post_clean()


class WithdrawMinutesForm(forms.Form):
    """Why published minutes are withdrawn; the reason is kept with them."""

    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the minutes and shown to staff."),
    )


class NudgeForm(forms.Form):
    """The confirmation of a nudge; its number makes a second click repeat, not resend."""

    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, next_number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.next_number = next_number
        self.fields["number"].initial = next_number

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number > self.next_number:
            raise forms.ValidationError(
                _("This nudge is not the next one. Reload the page and confirm again.")
            )
        return number


class AgendaItemForm(forms.ModelForm):
    presenter = OrganizationChoiceField(
        label=_("Presenting organization"),
        queryset=Organization.objects.none(),
        required=False,
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "description", "presenter", "duration_minutes", "is_standing"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = _organizations()


class AttendanceForm(forms.ModelForm):
    organization = OrganizationChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )

    class Meta:
        model = Attendance
        fields = ["organization", "people", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()

    def _post_clean(self):
        # One row per organization: the service updates an existing one instead.
        pass


class MinutesForm(forms.Form):
    """The summary in each interface language and the notes of each agenda item."""

    language = forms.ChoiceField(
        label=_("Language the minutes were written in"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, meeting: Meeting, minutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_items = list(meeting.agenda_items.all())
        summaries = {}
        if minutes is not None:
            self.fields["language"].initial = minutes.language
            summaries = {s.language: s.text for s in minutes.summaries.all()}
        for code, name in languages.written(settings.LANGUAGES):
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name},
                required=False,
                max_length=20000,
                initial=summaries.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 8, "lang": code}),
                help_text=_("Markdown: **bold**, *italic*, lists, links."),
            )
        for item in self.agenda_items:
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=_("Notes on “%(title)s”") % {"title": item.title},
                required=False,
                max_length=10000,
                initial=item.notes,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"not_reached_{item.pk}"] = forms.BooleanField(
                label=_("Not reached: move “%(title)s” to the next meeting")
                % {"title": item.title},
                required=False,
                initial=item.not_reached,
            )

    def summaries(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"summary_{code}"]
            for code, _name in languages.written(settings.LANGUAGES)
        }

    def notes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"notes_{item.pk}"] for item in self.agenda_items}

    def not_reached(self) -> set[int]:
        return {
            item.pk for item in self.agenda_items if self.cleaned_data[f"not_reached_{item.pk}"]
        }


class DecisionForm(forms.ModelForm):
    prefix = "decision"

    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": _("Decision")}


class ActionItemForm(forms.ModelForm):
    prefix = "action"
    responsible = OrganizationChoiceField(
        label=_("Responsible organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("The ministry"),
    )

    class Meta:
        model = ActionItem
        fields = ["text", "responsible", "due_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _organizations()


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class ArchiveForm(forms.Form):
    """The archive's search and filters; invalid values are reported and left out."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.SearchInput()
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All series"),
    )

    def __init__(self, *args, years: list[int], series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "There are no summaries from that year. Choose a year from the list."
        )
        self.fields["series"].queryset = series
        self.fields["series"].error_messages["invalid_choice"] = _(
            "There is no such series. Choose a series from the list."
        )


# --- Invitations, answers, liaisons --------------------------------------------------------


class InviteForm(forms.Form):
    """An audience that combines: every approved organization, or those in any of the countries
    AND of any of the kinds AND in any of the areas chosen, plus organizations picked one by one
    (meetings/audiences.py)."""

    everyone = forms.BooleanField(label=_("Every approved organization"), required=False)
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organizations in any of these countries."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Organization.Kind.choices,
        help_text=_("Combined with the countries: e.g. cultural in Sweden, Norway and Denmark."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of activity"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Also these organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Picked one by one, whatever the choices above."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        from django_countries import countries

        from organizations.models import Area
        from organizations.queries import country_counts, listed_organizations

        super().__init__(*args, **kwargs)
        self.meeting = meeting
        listed = listed_organizations()
        if meeting.scope == Meeting.Scope.COUNTRY:
            listed = listed.filter(country=meeting.host_country)
        self.fields["organizations"].queryset = listed.only("pk", "name", "city", "country")
        self.fields["organizations"].label_from_instance = lambda obj: (
            f"{obj.name} ({obj.city}, {obj.country.code})"
        )
        names = dict(countries)
        counts = country_counts(listed)
        if self.is_bound:
            # A country without approved organizations yet is a valid (empty) choice too.
            for code in self.data.getlist(self.add_prefix("countries")):
                if code in names:
                    counts.setdefault(code, 0)
        self.fields["countries"].choices = sorted(
            ((code, f"{names.get(code, code)} ({count})") for code, count in counts.items()),
            key=lambda choice: choice[1],
        )
        self.fields["areas"].queryset = Area.objects.only("pk", "slug", "names", "position")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.audience().is_empty:
            raise forms.ValidationError(
                _(
                    "Choose whom to invite: every organization, countries, kinds, areas of"
                    " activity or organizations."
                ),
                code="empty_audience",
            )
        return cleaned

    def audience(self):
        from .audiences import Audience

        data = getattr(self, "cleaned_data", {})
        return Audience(
            everyone=bool(data.get("everyone")),
            countries=tuple(sorted(data.get("countries") or ())),
            kinds=tuple(sorted(data.get("kinds") or ())),
            area_ids=tuple(sorted(area.pk for area in data.get("areas") or ())),
            organization_ids=tuple(sorted(o.pk for o in data.get("organizations") or ())),
        )


class ScheduleNextForm(forms.Form):
    """The next meeting of a series: its start, and the newly approved organizations to add."""

    starts_at = WallTimeField(
        label=_("Starts at"),
        widget=LocalDateTimeInput(),
        help_text=_("In the organizer's time zone."),
    )
    added = forms.ModelMultipleChoiceField(
        label=_("Approved since the last invitations: invite them too"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        candidates = list(candidates)
        if not candidates:
            del self.fields["added"]
            return
        self.fields["added"].queryset = Organization.objects.filter(
            pk__in=[organization.pk for organization in candidates]
        ).only("pk", "name", "city", "country")
        self.fields["added"].label_from_instance = lambda obj: (
            f"{obj.name} ({obj.city}, {obj.country.code})"
        )

    def clean_starts_at(self):
        # The digits as typed mean the organizer's zone, as on the meeting form.
        value = in_zone(self.cleaned_data["starts_at"], self.zone)
        if value is None:
            raise forms.ValidationError(
                _("This time does not exist in the organizer's time zone (the clocks go forward)."),
                code="skipped_time",
            )
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a start in the future."), code="past")
        return value


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No")), ("maybe", _("Maybe"))],
        error_messages={"required": _("Choose yes, no or maybe.")},
    )
    people = forms.IntegerField(
        label=_("How many people will join?"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Leave empty if you answer no."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrganizationRsvpForm(RsvpForm):
    """A member answers for one of their invited organizations on the meeting page."""

    organization = forms.ModelChoiceField(
        label=_("Answer for"), queryset=Organization.objects.none(), empty_label=None
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.order_fields(["organization", "answer", "people", "comment"])


class LiaisonForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the liaison's account"),
        help_text=_("The volunteer must already have an account on the portal."),
    )

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this e-mail address."))
        self.user = user
        return email


class LiaisonInviteForm(forms.Form):
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations to invite"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one organization.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = candidates
        self.fields["organizations"].label_from_instance = lambda obj: f"{obj.name} ({obj.city})"


class SeriesLiaisonForm(forms.Form):
    """Name a standing liaison of a series for one country."""

    country = forms.ChoiceField(label=_("Country"))
    email = forms.EmailField(
        label=_("E-mail address of the liaison's account"),
        help_text=_("An admin of an approved organization in that country."),
    )

    def __init__(self, *args, **kwargs):
        from django_countries import countries

        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this e-mail address."))
        self.user = user
        return email


class ArchiveImportForm(forms.Form):
    """An archive file (docs/archive-format.md) uploaded, or its text carried to the
    confirmation."""

    file = forms.FileField(
        label=_("Archive file (YAML or JSON)"),
        required=False,
        help_text=_("At most 2 MB. The format is described in the documentation."),
    )
    content = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > 2 * 1024 * 1024:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                cleaned["content"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
        if not cleaned.get("content"):
            self.add_error("file", _("Choose a file."))
        return cleaned

    def text(self) -> str:
        return self.cleaned_data["content"]
