"""The privacy app's own part of a user's copy and erasure: consent records and exports."""

from django.conf import settings

from core.batches import days_ago, delete_in_batches
from core.models import AuditEntry

from .models import ConsentRecord, DataExport


def export_user(user) -> dict:
    return {
        "privacy_notice_consents": [
            {
                "context": c.context,
                "notice_version": c.notice_version,
                "language": c.language,
                "given_at": c.created_at,
            }
            for c in ConsentRecord.objects.filter(user=user)
        ],
        "data_exports": [
            {"status": e.status, "requested_at": e.created_at, "downloaded_at": e.downloaded_at}
            for e in DataExport.objects.filter(requested_by=user, subject_user=user)
        ],
    }


def erase_user(user) -> None:
    # Consent records and exports go with the user row. The audit log never copies a person's
    # details (core.audit.object_label), but rows written before may name them in full:
    # the rows about this account, found by its key, keep only its number.
    AuditEntry.objects.filter(object_type=user._meta.label_lower, object_id=str(user.pk)).update(
        object_label=f"#{user.pk}"
    )
    # Rows the person wrote keep their pseudonym (actor_ref); the link to the account goes
    # with the user row (SET_NULL).


def purge_expired() -> dict[str, int]:
    """The audit log past its period, and data copies whose link expired (privacy's night)."""
    from .services import expire_exports

    cutoff = days_ago(settings.PRIVACY_AUDIT_RETENTION_DAYS)
    return {
        "audit_entries": delete_in_batches(AuditEntry.objects.filter(created_at__lt=cutoff)),
        "export_files": expire_exports(),
    }
