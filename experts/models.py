"""The opt-in expert roster: people who list their expertise for the ministry and, if they
choose, for the members of approved organizations. Their address is never shown to anyone:
every contact goes through the portal (experts/services.py)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core import languages, search
from organizations.models import ORGANIZATION_LANGUAGES


class Expertise(models.Model):
    """A field of expertise, a taxonomy kept by ministry staff (like the areas of activity)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # One name per interface language: {"bs": "Medicina", "en": "Medicine"}.
    names = models.JSONField(_("names"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, else in the closest one (in Cyrillic for a Cyrillic
        reader), else in the default language, else the slug."""
        return languages.name_for_reader(
            self.names, default_language=settings.LANGUAGE_CODE, fallback=self.slug
        )


class Expert(search.Searchable, models.Model):
    """One person's listing on the roster; at most one per account."""

    class Availability(models.TextChoices):
        MENTORING = "mentoring", _("Mentoring")
        SHORT_MISSIONS = "short_missions", _("Short missions")
        ONLINE_ADVICE = "online_advice", _("Advice online")

    class Visibility(models.TextChoices):
        STAFF = "staff", _("Ministry staff only")
        MEMBERS = "members", _("Ministry staff and members of approved organizations")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="expert_listing",
    )
    headline = models.CharField(
        _("profession or title"),
        max_length=150,
        help_text=_("For example: cardiologist, civil engineer, researcher in water management."),
    )
    expertise = models.ManyToManyField(
        Expertise, verbose_name=_("fields of expertise"), related_name="experts"
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=ORGANIZATION_LANGUAGES),
        verbose_name=_("languages"),
        default=list,
    )
    country = CountryField(_("country of residence"))
    availability = ArrayField(
        models.CharField(max_length=20, choices=Availability.choices),
        verbose_name=_("availability"),
        default=list,
    )
    bio = models.TextField(_("about me"), max_length=settings.EXPERTS_BIO_MAX_LENGTH, blank=True)
    visibility = models.CharField(
        _("who may see the listing"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.STAFF,
    )
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("A hidden listing is shown to nobody.")
    )
    consent_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consent_language = models.CharField(_("consent text language"), max_length=10)
    # Every folded spelling of the name, title, text and fields (core.search.Searchable): the
    # fields are other rows, so the services call search.refresh(expert) after setting them.
    search_document = models.TextField(editable=False, default="")
    search_on_save = False
    search_vector = models.GeneratedField(
        expression=SearchVector("search_document", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["-updated_at", "-pk"]
        indexes = [GinIndex(fields=["search_vector"], name="expert_search_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["staff", "members"]),
                name="expert_visibility_valid",
            ),
        ]

    def __str__(self):
        # Never the person's name: the audit log copies this label.
        return _("Expert #%(pk)s") % {"pk": self.pk}

    @property
    def name(self) -> str:
        return self.user.full_name or _("Expert #%(pk)s") % {"pk": self.pk}

    def availability_labels(self) -> list[str]:
        labels = dict(self.Availability.choices)
        return [str(labels.get(value, value)) for value in self.availability]

    def language_labels(self) -> list[str]:
        labels = dict(ORGANIZATION_LANGUAGES)
        return [str(labels.get(value, value)) for value in self.languages]

    def search_texts(self) -> list[str]:
        names = [name for field in self.expertise.all() for name in field.names.values()]
        return [self.user.full_name, self.headline, self.bio, *names]


class ContactMessage(models.Model):
    """A message someone sent an expert through the portal (its e-mail is in the outbox)."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.CASCADE,
        related_name="expert_messages_sent",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="expert_messages_received",
    )
    message = models.TextField(_("message"), max_length=3000)
    # The outbox rows it produced, by their UUID: no foreign key, so the outbox's purge stays a
    # plain DELETE; an erasure finds the e-mails carrying the sender's address by these.
    email_uuids = ArrayField(models.UUIDField(), default=list, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message to an expert")
        verbose_name_plural = _("messages to experts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Message #%(pk)s") % {"pk": self.pk}


class MeetingInvitation(models.Model):
    """Staff invited an expert to a meeting; one per expert and meeting, e-mailed once."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="invitations"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="expert_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert's meeting invitation")
        verbose_name_plural = _("experts' meeting invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "meeting"], name="expert_invitation_once_per_meeting"
            ),
        ]

    def __str__(self):
        return f"{self.expert} · {self.meeting_id}"
