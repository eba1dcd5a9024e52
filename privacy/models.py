from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentRecord(models.Model):
    """A user accepted the privacy notice of one version, in one language, at one moment."""

    class Context(models.TextChoices):
        SIGNUP = "signup", _("Account created")
        ONBOARDING = "onboarding", _("Organization registered")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="consent_records",
    )
    context = models.CharField(_("context"), max_length=20, choices=Context.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_context_display()} · {self.notice_version}"


class DataExport(models.Model):
    """A copy of personal data prepared for download: one user's or one organization's.

    The file lies outside every public directory; the e-mailed link carries a token of which
    only the hash is stored, works once and expires.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Could not be prepared")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose data"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="data_exports",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    file_name = models.CharField(max_length=100, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject_user__isnull=True, organization__isnull=False)
                | models.Q(subject_user__isnull=False, organization__isnull=True),
                name="export_of_one_user_or_one_organization",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} · {self.created_at:%Y-%m-%d}"


class AuditEntry(models.Model):
    """Who looked at or took away private data, when, and which object (privacy.audit.record)."""

    class Action(models.TextChoices):
        VIEW_CONTACTS = "view_contacts", _("Viewed private contact data")
        CSV_EXPORT = "csv_export", _("Exported a CSV file")
        DATA_EXPORT = "data_export", _("Requested a data export")
        DATA_DOWNLOAD = "data_download", _("Downloaded a data export")
        ERASURE = "erasure", _("Erased an account")
        LAST_ADMIN_LEFT = "last_admin_left", _("Organization left without an admin")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who acted, still recognizable after their account is erased (privacy.audit.pseudonym).
    actor_ref = models.CharField(
        _("who (pseudonym)"), max_length=32, blank=True, db_index=True, editable=False
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.object_label}"
