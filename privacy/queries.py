from django.db.models import Exists, OuterRef, QuerySet

from core.models import AuditEntry

from .models import ConsentRecord, DataExport


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor").order_by("-created_at", "-pk")


def consents_of(user) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user)


def exports_of(user) -> QuerySet[DataExport]:
    return DataExport.objects.filter(requested_by=user).select_related("organization")[:10]


def recent_exports(*, limit: int = 20) -> QuerySet[DataExport]:
    return DataExport.objects.select_related("requested_by", "organization")[:limit]


def organizations_without_admin() -> list:
    """Organizations flagged when their last admin erased the account, still without an admin."""
    from organizations.models import Membership, Organization

    flagged = AuditEntry.objects.filter(
        action=AuditEntry.Action.LAST_ADMIN_LEFT,
        object_type=Organization._meta.label_lower,
    ).values_list("object_id", flat=True)
    admins = Membership.objects.filter(organization=OuterRef("pk"), role="admin")
    return list(
        Organization.objects.filter(pk__in=[int(pk) for pk in flagged if pk.isdigit()])
        .exclude(status=Organization.Status.ARCHIVED)
        .filter(~Exists(admins))
        .order_by("name", "pk")
    )
