import uuid
import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core import languages, search
from organizations.models import Area, Organization


def validate_time_zone(value: str) -> None:
    """Accept only IANA zone names this machine's zoneinfo knows (e.g. "Europe/Sarajevo")."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Sarajevo."),
            code="invalid_time_zone",
            params={"value": value},
        )


# Reminders go out this many minutes before a meeting starts unless staff choose otherwise.
DEFAULT_REMINDER_OFFSETS = (24 * 60, 60)
# The earliest reminder: the beat tick looks this far ahead for meetings to remind of.
MAX_REMINDER_OFFSET = 14 * 24 * 60


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


def validate_reminder_offsets(value: list[int]) -> None:
    if len(value) > 5:
        raise ValidationError(_("Choose at most five reminders."), code="too_many_reminders")
    for minutes in value:
        if not 1 <= minutes <= MAX_REMINDER_OFFSET:
            raise ValidationError(
                _("A reminder goes out between 1 minute and 14 days (20160 minutes) before."),
                code="reminder_out_of_range",
            )


class Series(models.Model):
    """A numbered run of meetings, such as the "Diaspora Online Check-In"."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Meeting(search.Searchable, models.Model):
    """A meeting: times are stored in UTC, ``time_zone`` is the organizer's zone for display."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Online check-in")
        WORKSHOP = "workshop", _("Workshop")
        IN_PERSON = "in_person", _("In person")

    class Scope(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        COUNTRY = "country", _("One host country")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    # Which status may follow which; the services refuse every other change.
    TRANSITIONS = {
        Status.DRAFT: {Status.SCHEDULED, Status.CANCELLED},
        Status.SCHEDULED: {Status.CANCELLED, Status.HELD},
        Status.CANCELLED: {Status.SCHEDULED},
        Status.HELD: set(),
    }

    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
    )
    number = models.PositiveSmallIntegerField(_("number in the series"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CHECK_IN)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(
        _("description"),
        max_length=10000,
        blank=True,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    organizer = models.CharField(
        _("organizer"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when the ministry's Sector for Diaspora organizes it."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("organizer's time zone"),
        max_length=64,
        default="Europe/Sarajevo",
        validators=[validate_time_zone],
        help_text=_("The zone the times are entered and announced in, e.g. Europe/Sarajevo."),
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    scope = models.CharField(
        _("for whom"), max_length=10, choices=Scope.choices, default=Scope.EVERYONE
    )
    host_country = CountryField(_("host country"), blank=True)
    stream_url = models.URLField(
        _("stream link"),
        max_length=500,
        blank=True,
        help_text=_("A public stream anyone may watch; shown on the public page."),
    )
    recording_url = models.URLField(_("recording link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Raised whenever the time, place or status changes (iCalendar SEQUENCE)."),
    )
    uid = models.UUIDField(
        _("calendar identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    staff_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Seen by ministry staff only.")
    )
    reminder_offsets = ArrayField(
        models.PositiveIntegerField(),
        verbose_name=_("reminders (minutes before the start)"),
        default=default_reminder_offsets,
        blank=True,
        validators=[validate_reminder_offsets],
        help_text=_(
            "Invitees who have not declined get a reminder this many minutes before the start,"
            " e.g. 1440, 60 for a day and an hour before. Empty: no reminders."
        ),
    )
    # Every folded spelling of the title, description, agenda and published summaries, each word
    # after a space, so the archive finds "sastanak" in "Sastanak" and "zivinice" in "Živinice"
    # without PostgreSQL's unaccent (missing on the embedded server). The texts are mostly other
    # rows, so the services call search.refresh(meeting) after changing any of them.
    search_document = models.TextField(editable=False, default="")
    search_on_save = False
    search_prefix = " "
    # The key of the archive record a past meeting was imported from (meetings/archive.py):
    # importing the same file again updates that meeting instead of adding another.
    import_key = models.CharField(_("archive key"), max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="meeting_status_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "scheduled", "cancelled", "held"]),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(scope="everyone", host_country="")
                | (models.Q(scope="country") & ~models.Q(host_country="")),
                name="meeting_country_scope_has_country",
                violation_error_message=_(
                    "Choose the host country for a meeting of one country, and none otherwise."
                ),
            ),
            models.UniqueConstraint(
                fields=["series", "number"],
                condition=models.Q(series__isnull=False, number__isnull=False),
                name="meeting_number_once_per_series",
                violation_error_message=_("The series already has a meeting with this number."),
            ),
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~models.Q(import_key=""),
                name="meeting_import_key_once",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    @property
    def ical_uid(self) -> str:
        """The iCalendar UID: stable for the meeting's life, whatever else changes."""
        return f"{self.uid}@diaspora-portal"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        """Drafts are staff work in progress; every other meeting has a public page."""
        return self.status != self.Status.DRAFT

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    def search_texts(self) -> list[str]:
        """The title, description, agenda and the published minutes' summaries and decisions."""
        texts = [self.title, self.description]
        texts += [item.title for item in self.agenda_items.all()]
        minutes = Minutes.objects.filter(meeting=self, status=Minutes.Status.PUBLISHED).first()
        if minutes is not None:
            texts += [summary.text for summary in minutes.summaries.all()]
            texts += [decision.text for decision in minutes.decisions.all()]
        return texts


def lock_meeting_for_share(pk: int) -> bool:
    """Hold a share lock on the meeting's row until the transaction ends; return whether it exists.

    Its status and times cannot change meanwhile (the services that change them lock the row
    for update and wait), while others holding the same lock (answers, notice rounds) go on.
    Read the meeting after taking it to see its current state.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Meeting._meta.db_table} WHERE id = %s FOR SHARE", [pk])  # noqa: S608
        return cursor.fetchone() is not None


class AgendaItem(models.Model):
    """One point of a meeting's agenda, in ``position`` order."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    presenter = models.ForeignKey(
        Organization,
        verbose_name=_("presenting organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presented_agenda_items",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    is_standing = models.BooleanField(
        _("standing item"), default=False, help_text=_("Carried into every next meeting.")
    )
    # Filled in with the minutes.
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    not_reached = models.BooleanField(
        _("not reached"),
        default=False,
        help_text=_("The meeting ran out of time: the item moves to the next meeting."),
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


class Minutes(models.Model):
    """The record of a held meeting; public once published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    language = models.CharField(
        _("original language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the minutes were written in; others are translations."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The last withdrawal of published minutes by staff: when, by whom and why.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["-meeting__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(status="published", published_at__isnull=False),
                name="minutes_published_has_date",
            ),
        ]

    def __str__(self):
        return str(self.meeting)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def summary_in(self, language: str) -> str:
        """The summary for a reader of ``language`` (see summary_for)."""
        return self.summary_for(language).text

    def summary_for(self, language: str) -> languages.Text:
        """The summary for a reader of ``language``: its own, else the closest language's
        (Croatian and Serbian read Bosnian; Serbian Cyrillic reads the Latin text transliterated),
        else the original, else any; with the language it was written in."""
        texts = {s.language: s.text for s in self.summaries.all() if s.text}
        return languages.pick(texts, language, original=self.language)


class Summary(models.Model):
    """The summary of the minutes in one language (one row per language of settings.LANGUAGES)."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="summaries"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    text = models.TextField(_("summary"), max_length=20000, blank=True)

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")
        ordering = ["minutes", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "language"], name="summary_once_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.minutes} ({self.language})"


class Decision(models.Model):
    """What the meeting agreed ("Dogovoreno je…")."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("text"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["minutes", "position", "pk"]

    def __str__(self):
        return self.text[:80]


class ActionItem(models.Model):
    """A next step someone took on at a meeting; its status follows it across meetings."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    text = models.TextField(_("what"), max_length=2000)
    responsible = models.ForeignKey(
        Organization,
        verbose_name=_("responsible organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        help_text=_("Leave empty when the ministry is responsible."),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    carried_into = models.ForeignKey(
        AgendaItem,
        verbose_name=_("carried into the agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "done", "dropped"]),
                name="action_status_valid",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class Attendance(models.Model):
    """An organization's presence at a meeting, recorded by staff."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    people = models.PositiveSmallIntegerField(
        _("people"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    note = models.CharField(_("internal note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "organization__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="attendance_once_per_organization"
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.meeting}"


class Invitation(models.Model):
    """One recipient's invitation with a personal RSVP link (sent by the next slice).

    Only a hash of the RSVP token is stored: a database leak reveals no working link.
    """

    class Answer(models.TextChoices):
        NONE = "", _("No answer yet")
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    class Mail(models.TextChoices):
        NONE = "", _("Nothing")
        REQUEST = "request", _("Invitation")
        CANCEL = "cancel", _("Cancellation")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, blank=True, default=Answer.NONE
    )
    people = models.PositiveSmallIntegerField(
        _("people"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # What the next e-mail to this address must say; set with the change, cleared in the same
    # transaction that stores the outbox row (meetings/invitations.py), so each send is queued
    # exactly once whoever picks it up: the task after the commit or the minute's sweep.
    mail_pending = models.CharField(
        _("e-mail to send"), max_length=10, choices=Mail.choices, blank=True, default=Mail.NONE
    )
    mail_requested_at = models.DateTimeField(_("e-mail requested at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("last e-mail queued at"), null=True, blank=True)
    mailed_sequence = models.PositiveIntegerField(
        _("calendar revision last sent"), null=True, blank=True
    )
    # ON DELETE SET NULL in the database (migration 0004), not in Django: purging sent e-mails
    # is then a plain DELETE, without loading every row and its body first.
    last_email = models.ForeignKey(
        "mail.OutgoingEmail",
        verbose_name=_("last e-mail"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "organization__name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="invitation_once_per_address"
            ),
            models.CheckConstraint(
                condition=models.Q(answer__in=["", "yes", "no", "maybe"]),
                name="invitation_answer_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["mail_requested_at"],
                name="invitation_mail_pending_idx",
                condition=~models.Q(mail_pending=""),
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.meeting}"


class Liaison(models.Model):
    """A volunteer who helps invite the organizations of a country-scoped meeting's country.

    A liaison sees that meeting's answers from organizations in its host country and may invite
    more of them; nothing else (meetings/liaison_views.py checks it on every request).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="liaisons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="meeting_liaisons",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("country liaison")
        verbose_name_plural = _("country liaisons")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="liaison_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.user} · {self.meeting}"


class Notice(models.Model):
    """One reminder, nudge or summary e-mail to one invitee: the row that makes it once only.

    A row is inserted (insert-or-skip on the unique key) in the same transaction that queues the
    outbox e-mail, so concurrent beat ticks, retries and double clicks send each notice once.
    A reminder is keyed on the meeting's start: a rescheduled meeting gets fresh reminders.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        NUDGE = "nudge", _("Nudge to answer")
        SUMMARY = "summary", _("Published summary")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="notices"
    )
    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Minutes before the start for a reminder, the nudge's number for a nudge, 0 for a summary.
    number = models.PositiveIntegerField(_("offset or number"), default=0)
    starts_at = models.DateTimeField(
        _("meeting start"), null=True, blank=True, help_text=_("The start a reminder was for.")
    )
    # ON DELETE SET NULL in the database (migration 0004), as Invitation.last_email.
    email = models.ForeignKey(
        "mail.OutgoingEmail",
        verbose_name=_("e-mail"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["meeting", "kind", "number", "pk"]
        indexes = [models.Index(fields=["meeting", "kind"], name="notice_meeting_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["reminder", "nudge", "summary"]),
                name="notice_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="reminder") | models.Q(starts_at__isnull=False),
                name="notice_reminder_has_start",
            ),
            models.UniqueConstraint(
                fields=["invitation", "number", "starts_at"],
                condition=models.Q(kind="reminder"),
                name="notice_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["invitation", "number"],
                condition=models.Q(kind="nudge"),
                name="notice_nudge_once",
            ),
            models.UniqueConstraint(
                fields=["invitation"],
                condition=models.Q(kind="summary"),
                name="notice_summary_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number} · {self.invitation}"


class NoticeRound(models.Model):
    """A nudge or a published summary staff asked for: all its e-mails, sent by a task.

    The staff request only writes (or renews) this row, marked "to send" by ``requested_at``,
    and enqueues one task after the commit; the task (or, when the broker was down, the sweep a
    minute later) claims the row with ``SKIP LOCKED``, queues the e-mails in batches through
    ``Notice`` rows and clears the mark with the last batch (meetings/notices.py).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="notice_rounds"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Notice.Kind.choices)
    # The nudge's number; 0 for the summary.
    number = models.PositiveIntegerField(_("number"), default=0)
    requested_at = models.DateTimeField(
        _("e-mails requested at"),
        null=True,
        blank=True,
        help_text=_("Set while e-mails of this round are still to be queued."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("round of notices")
        verbose_name_plural = _("rounds of notices")
        ordering = ["meeting", "kind", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["nudge", "summary"]), name="notice_round_kind_valid"
            ),
            models.UniqueConstraint(fields=["meeting", "kind", "number"], name="notice_round_once"),
        ]
        indexes = [
            models.Index(
                fields=["requested_at"],
                name="notice_round_pending_idx",
                condition=models.Q(requested_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number} · {self.meeting_id}"


class AudienceRule(models.Model):
    """One audience staff invited to a meeting: who matches every criterion given, plus the
    organizations picked one by one (meetings/audiences.py reads and resolves it).

    No criterion and ``everyone`` unset means only the picked organizations. The rules of a
    meeting's latest invitations are what its series remembers for the next meeting.
    """

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="audience_rules",
    )
    everyone = models.BooleanField(_("all approved organizations"), default=False)
    countries = ArrayField(
        models.CharField(max_length=2), verbose_name=_("countries"), default=list, blank=True
    )
    kinds = ArrayField(
        models.CharField(max_length=20), verbose_name=_("kinds"), default=list, blank=True
    )
    areas = models.ManyToManyField(
        Area, verbose_name=_("areas of activity"), blank=True, related_name="+"
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.meeting_id} · {self.pk}"


class SeriesLiaison(models.Model):
    """A standing country liaison: for every meeting of the series, the volunteer sees the
    answers of the organizations of the country and may invite more of them, until staff remove
    them (meetings/liaisons.py checks it on every request)."""

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.CASCADE, related_name="liaisons"
    )
    country = CountryField(_("country"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="series_liaisons",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("standing country liaison")
        verbose_name_plural = _("standing country liaisons")
        ordering = ["series", "country", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "country", "user"], name="series_liaison_once_per_country"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.series} · {self.country}"
