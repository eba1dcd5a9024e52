"""The outbox's part of a user's copy and erasure (see privacy/providers.py)."""

import re

from django.db.models import Count, Q
from django.utils import timezone

from .models import OutgoingEmail


def export_user(user) -> dict:
    rows = OutgoingEmail.objects.filter(to__iexact=user.email)
    return {
        "emails_to_you": [
            {
                "subject": e.subject,
                "status": e.status,
                "created_at": e.created_at,
                "sent_at": e.sent_at,
            }
            for e in rows.only("subject", "status", "created_at", "sent_at").order_by("pk")
        ],
        "counts_by_status": dict(rows.order_by().values_list("status").annotate(count=Count("pk"))),
    }


def _address_in(field: str, email: str) -> Q:
    """The exact address as a whole word of the field, never part of a longer address."""
    pattern = rf"(^|[^[:alnum:]_.%+-]){re.escape(email)}($|[^[:alnum:]_.-]|\.([^[:alnum:]]|$))"
    return Q(**{f"{field}__iregex": pattern})


def erase_user(user) -> None:
    # Nothing more reaches the address: queued e-mails to it go with the sent ones.
    OutgoingEmail.objects.filter(to__iexact=user.email).delete()
    # E-mails to others that named the person's address (a registration announced to staff,
    # say) lose their body once final; ones still waiting are delivered as written. Matched by
    # the exact address, never by a name: a name is part of too many other texts.
    mentions = _address_in("body_text", user.email) | _address_in("subject", user.email)
    OutgoingEmail.objects.filter(mentions).exclude(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING]
    ).update(subject="—", body_text="", body_html="", redacted_at=timezone.now())


def purge_expired() -> dict[str, int]:
    """Sent, expired and failed e-mails past MAIL_RETENTION_DAYS (privacy's night)."""
    from .services import purge_old_emails

    return {"sent_emails": purge_old_emails()}
