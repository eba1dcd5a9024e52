from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_registrations",
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

    def __str__(self):
        return f"{self.user} · {self.get_step_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def may_open(self, step: str) -> bool:
        """A step is open once every step before it was completed."""
        return step in STEPS and STEPS.index(step) <= STEPS.index(self.step)
