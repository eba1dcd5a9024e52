"""The outbox's part of a user's copy and erasure (see privacy/providers.py)."""

import re

from django.db.models import Count, F, Func, JSONField, Q, Value
from django.db.models.fields.json import KeyTextTransform
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
    # E-mails that asked their recipient to answer the person (Reply-To: a staff member who
    # invited an expert, say) lose that header, in one UPDATE, matched by the exact address.
    OutgoingEmail.objects.alias(reply_to=KeyTextTransform("Reply-To", "headers")).filter(
        reply_to__iexact=user.email
    ).update(headers=_without_key("headers", "Reply-To"))


def _without_key(field: str, key: str) -> Func:
    """The JSON object ``field`` without ``key`` (PostgreSQL's jsonb ``-`` operator)."""
    return Func(F(field), Value(key), function="", arg_joiner=" - ", output_field=JSONField())


def purge_expired() -> dict[str, int]:
    """Sent, expired and failed e-mails past MAIL_RETENTION_DAYS (privacy's night)."""
    from .services import purge_old_emails

    return {"sent_emails": purge_old_emails()}
