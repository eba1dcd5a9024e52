"""The audit log of access to private data: one line per view or export, for staff to follow.

Any view that shows private contact data to staff, or hands out a CSV file, records it with one
line (after its role check, before the response)::

    from core import audit

    audit.record(request, audit.Action.CSV_EXPORT, obj=None)          # a filtered list
    audit.record(request, audit.Action.VIEW_CONTACTS, obj=organization)

``obj`` names what was seen (any model instance, or None for a list); the request gives who and
the address with its query string (the filter of a list). Rows are kept for
``PRIVACY_AUDIT_RETENTION_DAYS`` (privacy.retention) and shown at /staff/privacy/audit/.
"""

from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

from .models import AuditEntry

Action = AuditEntry.Action


def object_label(obj) -> str:
    """Name the object without copying a person's details into the log."""
    if obj is None:
        return ""
    if isinstance(obj, get_user_model()):
        return f"#{obj.pk}"
    return str(obj)[:200]


def pseudonym(user_id: int) -> str:
    """A stable name for the account ``user_id`` that outlives it: who did what stays
    traceable after an erasure, without the log holding who the person was. Made with the
    secret key, so it cannot be computed from the id alone."""
    return salted_hmac("privacy.audit.actor", str(user_id)).hexdigest()[:20]


_REQUEST_USER = object()


def record(
    request, action: str, obj=None, *, actor=_REQUEST_USER, actor_id: int | None = None
) -> AuditEntry:
    """Log that the request's user did ``action`` on ``obj`` (a model instance or None).

    ``actor`` overrides who acted (None: an account being erased, named by ``actor_id`` only).
    """
    user = getattr(request, "user", None) if actor is _REQUEST_USER else actor
    user = user if user is not None and user.is_authenticated else None
    if user is not None:
        actor_id = user.pk
    return AuditEntry.objects.create(
        actor=user,
        actor_ref=pseudonym(actor_id) if actor_id is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=object_label(obj),
        path=request.get_full_path()[:500] if request is not None else "",
    )
