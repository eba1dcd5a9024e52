from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Step(models.TextChoices):
    """The steps of the guided registration after the account, in order."""

    BASICS = "basics", _("Organization")
    CONTACTS = "contacts", _("Contacts and channels")
    AREAS = "areas", _("Areas and wishes")
    CONSENT = "consent", _("Consent")
    REVIEW = "review", _("Review and submit")


STEPS = [step.value for step in Step]


class Registration(models.Model):
    """One user's guided registration of an organization, saved at every step.

    ``data`` holds what the user typed on each step, as submitted form data, so a step shows it
    again on any device; ``step`` is the furthest step the user may open.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="onboarding_registrations",
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.BASICS)
    data = models.JSONField(_("typed data"), default=dict, blank=True)
    # The duplicate check: organizations the user was warned about and said they are not.
    declared_different_from = models.JSONField(
        _("declared different from"), default=list, blank=True
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_language = models.CharField(_("consent text language"), max_length=10, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # When staff were told of the submission (in one e-mail with the others of its period).
    staff_notified_at = models.DateTimeField(_("staff notified at"), null=True, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_registrations",
    )
    invitation = models.ForeignKey(
        "onboarding.Invitation",
        verbose_name=_("invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    last_activity_at = models.DateTimeField(_("last progress"), auto_now_add=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-last_activity_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(submitted_at__isnull=True),
                name="onboarding_one_open_registration_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(step__in=STEPS), name="onboarding_registration_step_valid"
            ),
        ]
        indexes = [
            # The last notice to staff (MAX), and the submissions staff have not heard of yet.
            models.Index(fields=["staff_notified_at"], name="onboarding_staff_notified"),
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(submitted_at__isnull=False, staff_notified_at__isnull=True),
                name="onboarding_staff_not_notified",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_step_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def may_open(self, step: str) -> bool:
        """A step is open once every step before it was completed."""
        return step in STEPS and STEPS.index(step) <= STEPS.index(self.step)


class Invitation(models.Model):
    """An invitation to an organization to join the network, sent by staff or an admin.

    Only a hash of the token is stored: the link in the e-mail is the only copy of the token.
    """

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        STARTED = "started", _("Registration started")
        COMPLETED = "completed", _("Registration submitted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail address"))
    organization_name = models.CharField(_("organization's name"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    message = models.TextField(_("personal message"), max_length=2000, blank=True)
    language = models.CharField(
        _("language of the e-mail"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Set when an organization's admin invites on its behalf; empty for the ministry.
    inviting_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("inviting organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires at"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    started_at = models.DateTimeField(_("registration started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("registration submitted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to join the network")
        verbose_name_plural = _("invitations to join the network")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.email} ({self.organization_name})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return self.State.REVOKED
        if self.completed_at:
            return self.State.COMPLETED
        if self.started_at:
            return self.State.STARTED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        if self.opened_at:
            return self.State.OPENED
        return self.State.SENT

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def may_resend(self) -> bool:
        return self.state in {self.State.SENT, self.State.OPENED, self.State.EXPIRED}

    @property
    def may_revoke(self) -> bool:
        return self.state in {self.State.SENT, self.State.OPENED}

    @property
    def inviter_name(self) -> str:
        if self.inviting_organization_id:
            return self.inviting_organization.name
        return str(_("The Sector for Diaspora of the Ministry for Human Rights and Refugees"))


class Guide(models.Model):
    """Onboarding material staff write: a guide in one language, Markdown, maybe a file."""

    class Topic(models.TextChoices):
        PORTAL = "portal", _("Using the portal")
        WORKSPACE = "workspace", _("The digital workspace")
        COMMUNITY = "community", _("The community channel")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    body = models.TextField(
        _("text"), max_length=50000, help_text=_("Markdown: **bold**, *italic*, lists, links.")
    )
    attachment = models.FileField(_("attachment"), upload_to="guides/%Y/", blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["language", "position", "title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("onboarding:guide", kwargs={"pk": self.pk})


class ChecklistItem(models.Model):
    """One ticked item of an approved organization's first steps in the network.

    A row exists only once the item is done; other apps tick items through
    ``onboarding.checklist.mark_done`` (the meetings app ticks ``checkin``).
    """

    class Key(models.TextChoices):
        PROFILE = "profile", _("Complete the profile")
        COMMUNITY = "community", _("Join the community channel")
        GUIDE = "guide", _("Read the workspace guide")
        CHECKIN = "checkin", _("Answer the next check-in invitation")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="checklist_items",
    )
    key = models.CharField(_("item"), max_length=20, choices=Key.choices)
    done_at = models.DateTimeField(_("done at"), default=timezone.now)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["organization", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"], name="onboarding_checklist_item_once"
            ),
            models.CheckConstraint(
                condition=models.Q(key__in=["profile", "community", "guide", "checkin"]),
                name="onboarding_checklist_key_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_key_display()}"
