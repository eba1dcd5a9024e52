from django.db.models import QuerySet

from core.models import AuditEntry

from .models import ConsentRecord, DataExport
from .providers import personal_data_modules


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor").order_by("-created_at", "-pk")


def consents_of(user) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user)


def exports_of(user) -> QuerySet[DataExport]:
    return DataExport.objects.filter(requested_by=user).select_related("organization")[:10]


def recent_exports(*, limit: int = 20) -> QuerySet[DataExport]:
    return DataExport.objects.select_related("requested_by", "organization")[:limit]


def organizations_without_admin() -> list:
    """Organizations flagged when their last admin erased the account, still without an admin
    (asked of each app's ``personal_data.still_without_admin`` with the ids flagged for its
    models)."""
    flagged: dict[str, list[str]] = {}
    for object_type, object_id in AuditEntry.objects.filter(
        action=AuditEntry.Action.LAST_ADMIN_LEFT
    ).values_list("object_type", "object_id"):
        flagged.setdefault(object_type.split(".")[0], []).append(object_id)
    found = []
    for label, module in personal_data_modules().items():
        if label in flagged and hasattr(module, "still_without_admin"):
            found += module.still_without_admin(flagged[label])
    return found
