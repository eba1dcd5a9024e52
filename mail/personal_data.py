"""The outbox's part of a user's copy and erasure (see privacy/providers.py)."""

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


def erase_user(user) -> None:
    # Nothing more reaches the address: queued e-mails to it go with the sent ones.
    OutgoingEmail.objects.filter(to__iexact=user.email).delete()
    # E-mails to others that named the person (an invitation they wrote, say) lose their body
    # once sent; ones still waiting are delivered as written.
    mentions = Q(body_text__icontains=user.email) | Q(subject__icontains=user.email)
    if user.full_name.strip():
        name = user.full_name.strip()
        mentions |= Q(body_text__icontains=name) | Q(subject__icontains=name)
    OutgoingEmail.objects.filter(mentions).exclude(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING]
    ).update(subject="—", body_text="", body_html="", redacted_at=timezone.now())
