"""The staff's view of onboarding: the funnel, stalled registrations, and their reminders."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.batches import work_in_locked_batches
from mail.services import queue_email
from organizations.models import Organization

from . import providers
from .models import Invitation, Registration

REMINDER_BATCH_SIZE = 200


def attended_first_meeting_count(organizations) -> int:
    """How many of ``organizations`` attended a meeting, as the meetings app registered it."""
    return providers.attendance_count(organizations)


def funnel() -> list[dict]:
    """Counts per stage: invited → started → submitted → approved → attended a first meeting."""
    registrations = Registration.objects.all()
    onboarded = Organization.objects.filter(
        onboarding_registrations__submitted_at__isnull=False
    ).distinct()
    approved = onboarded.filter(approved_at__isnull=False)
    return [
        {"key": "invited", "label": _("Invited"), "count": Invitation.objects.count()},
        {"key": "started", "label": _("Started a registration"), "count": registrations.count()},
        {
            "key": "submitted",
            "label": _("Submitted"),
            "count": registrations.filter(submitted_at__isnull=False).count(),
        },
        {"key": "approved", "label": _("Approved"), "count": approved.count()},
        {
            "key": "attended",
            "label": _("Attended a first meeting"),
            "count": attended_first_meeting_count(approved),
        },
    ]


def _stalled_before(now):
    return now - timedelta(days=settings.ONBOARDING_STALLED_DAYS)


def stalled_registrations(*, now=None):
    """Registrations in progress without progress for ONBOARDING_STALLED_DAYS, oldest first."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            submitted_at__isnull=True, last_activity_at__lt=_stalled_before(now)
        )
        .select_related("user", "invitation")
        .order_by("last_activity_at", "pk")
    )


def send_stalled_reminders(*, now=None) -> int:
    """E-mail one friendly reminder per stalled registration; return how many were sent.

    A registration gets at most ONBOARDING_MAX_REMINDERS reminders in all, and a new one only
    after the user made progress since the last. Rows are claimed with SKIP LOCKED and stamped in
    the transaction that queues the e-mail, so neither a restart nor a second worker repeats one.
    """
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            submitted_at__isnull=True,
            last_activity_at__lt=_stalled_before(now),
            reminders_sent__lt=settings.ONBOARDING_MAX_REMINDERS,
            user__is_active=True,
        )
        .filter(
            models.Q(last_reminded_at__isnull=True)
            | models.Q(last_reminded_at__lt=models.F("last_activity_at"))
        )
        .order_by("pk")
    )
    sent = 0

    def work(batch: list[Registration]) -> None:
        nonlocal sent
        for registration in batch:
            registration.reminders_sent += 1
            registration.last_reminded_at = now
            registration.save(update_fields=["reminders_sent", "last_reminded_at"])
            user = registration.user
            queue_email(
                to=user.email,
                template="onboarding/emails/reminder",
                context={
                    "user": user,
                    "registration": registration,
                    "link": settings.SITE_URL + reverse("onboarding:start"),
                },
                language=user.language,
            )
            sent += 1

    work_in_locked_batches(due.select_related("user"), work, size=REMINDER_BATCH_SIZE, of=("self",))
    return sent
