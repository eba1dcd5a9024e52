"""The audit log of access to private data (written through ``core.audit``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who looked at or took away private data, when, and which object (core.audit.record)."""

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
    # Who acted, still recognizable after their account is erased (core.audit.pseudonym).
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
        # Kept from when the log lived in the privacy app.
        db_table = "privacy_auditentry"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.object_label}"
