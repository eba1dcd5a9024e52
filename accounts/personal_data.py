"""The account's part of a user's copy and erasure (see privacy/providers.py)."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def export_user(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # Which second factors exist and when they were added, never their secrets.
        "second_factors": [
            {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "sessions": [
            {
                "created_at": s.created_at,
                "last_seen_at": s.last_seen_at,
                "ip": s.ip,
                "user_agent": s.user_agent,
            }
            for s in UserSession.objects.filter(user=user).order_by("pk")
        ],
    }


def erase_user(user) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    # Log out everywhere: the sessions themselves, then allauth's record of them (IP, browser).
    for session in UserSession.objects.filter(user=user):
        session.end()
    UserSession.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # The admin's log names the user in its "object" column.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).delete()


def purge_expired() -> dict[str, int]:
    """Remove ended sessions (with their IP address and browser) after the period."""
    from allauth.usersessions.models import UserSession
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from core.batches import days_ago, delete_in_batches

    delete_in_batches(Session.objects.filter(expire_date__lt=timezone.now()))
    cutoff = days_ago(settings.PRIVACY_SESSION_RETENTION_DAYS)
    live = Session.objects.filter(expire_date__gte=timezone.now()).values("session_key")
    return {
        "ended_sessions": delete_in_batches(
            UserSession.objects.filter(last_seen_at__lt=cutoff).exclude(session_key__in=live)
        )
    }
