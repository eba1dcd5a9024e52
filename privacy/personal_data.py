"""The privacy app's own part of a user's copy and erasure: consent records and exports."""

from .models import AuditEntry, ConsentRecord, DataExport


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
    # Consent records and exports go with the user row; the audit log never copies a person's
    # details (privacy.audit.object_label), but rows written before may name them in full.
    for value in filter(None, [user.email, user.full_name.strip()]):
        AuditEntry.objects.filter(object_label__icontains=value).update(object_label="—")
