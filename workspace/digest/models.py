"""The weekly digest's preference per organization and its issue per organization and week."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class DigestPreference(models.Model):
    """Whether an organization's admins receive the weekly digest; no row means they do."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    receives_digest = models.BooleanField(_("send the weekly digest"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")
        ordering = ["organization"]

    def __str__(self):
        return str(self.organization)


class DigestIssue(models.Model):
    """One organization's weekly digest for one ISO week: claimed once, sent or skipped once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Nothing new")
        EXPIRED = "expired", _("Week over before sending")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="digest_issues",
    )
    # The Monday of the ISO week.
    week_start = models.DateField(_("week"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    post_count = models.PositiveIntegerField(_("new posts"), default=0)
    # The meetings this issue announced: the next one announces only meetings not listed here.
    meeting_ids = ArrayField(models.IntegerField(), verbose_name=_("meetings"), default=list)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-week_start", "organization", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "week_start"], name="digest_once_per_week"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "skipped", "expired"]),
                name="digest_status_valid",
            ),
            models.CheckConstraint(
                # PostgreSQL's ISO day of the week: Monday is 1.
                condition=models.Q(week_start__iso_week_day=1),
                name="digest_week_starts_on_monday",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "week_start"],
                condition=models.Q(status="pending"),
                name="digest_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.week_start:%G-W%V}"
