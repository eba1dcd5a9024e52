import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.site import site_domain


class OutgoingEmail(models.Model):
    """One e-mail to one recipient, rendered in their language and sent by a Celery worker.

    The life of a row (mail/services.py keeps these rules):

    queued -> sending -> sent                       the common case
    sending -> retrying -> sending ...              temporary SMTP errors, with back-off
    sending -> failed                               permanent errors, or the last attempt
    queued/retrying -> expired                      past ``not_after``: never delivered late
    failed -> retrying                              a member of staff asks for another try

    ``enqueued_at`` is set while a task message for the row is on its way (a bulk queue sets it
    before publishing, so nothing updates rows workers may already hold), so the sweep never
    adds a second message for a row whose task is merely waiting in a busy queue.
    ``lease_until`` bounds one attempt: a row still "sending" after it is one whose worker died.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    to = models.EmailField(_("recipient"))
    from_email = models.CharField(_("sender"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Text attachments as {filename, content, mimetype} objects."),
    )
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(
        _("template"), max_length=200, blank=True, help_text=_("What produced the e-mail.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    interruptions = models.PositiveSmallIntegerField(
        _("interruptions"),
        default=0,
        help_text=_("Attempts whose worker stopped before it recorded the outcome."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("task sent at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("attempt lease until"), null=True, blank=True)
    not_after = models.DateTimeField(
        _("not after"),
        null=True,
        blank=True,
        help_text=_("Drop the e-mail instead of delivering it after this time."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    redacted_at = models.DateTimeField(
        _("body removed at"),
        null=True,
        blank=True,
        help_text=_("Bodies with a one-time link or code are removed once sent."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="mail_pending_idx",
                condition=models.Q(status__in=["queued", "retrying"]),
            ),
            models.Index(
                fields=["lease_until"],
                name="mail_sending_idx",
                condition=models.Q(status="sending"),
            ),
            models.Index(fields=["status", "updated_at"], name="mail_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="mail_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(lease_until__isnull=False),
                name="mail_sending_has_lease",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def message_id(self) -> str:
        """A Message-ID that stays the same on every attempt, so receivers can drop repeats.

        It comes from the row's UUID, so two databases (staging, production, a restored backup)
        never hand out the same one.
        """
        domain = site_domain()
        return f"<{self.uuid}@{domain or 'localhost'}>"
