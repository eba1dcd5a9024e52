"""Reads the roster pages share; each page runs a fixed number of queries."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from meetings.models import Meeting
from meetings.queries import upcoming_meetings

from .models import ContactMessage, Expert, Expertise


def listed_experts() -> QuerySet[Expert]:
    """Listings shown to anyone at all: not hidden, consented to the text in force, active."""
    return (
        Expert.objects.filter(
            is_hidden=False,
            consent_version=settings.EXPERTS_CONSENT_VERSION,
            user__is_active=True,
        )
        .select_related("user")
        .prefetch_related(Prefetch("expertise", queryset=Expertise.objects.all()))
        .defer("search_document", "search_vector")
    )


def roster(*, staff: bool) -> QuerySet[Expert]:
    """What the viewer may see: staff every listed expert; members only those who chose so."""
    experts = listed_experts()
    if not staff:
        experts = experts.filter(visibility=Expert.Visibility.MEMBERS)
    return experts


def own_listing(user) -> Expert | None:
    if not user.is_authenticated:
        return None
    return Expert.objects.filter(user=user).prefetch_related("expertise").first()


def invitable_meetings() -> QuerySet[Meeting]:
    """Scheduled meetings that have not started: the ones staff may invite an expert to."""
    return upcoming_meetings().filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())


def invitations_of(expert: Expert) -> list:
    return list(expert.invitations.select_related("meeting").order_by("-created_at", "-pk"))


def messages_to(expert: Expert) -> int:
    return ContactMessage.objects.filter(recipient_id=expert.user_id).count()
