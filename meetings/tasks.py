from datetime import datetime

from celery import shared_task

from . import invitations, notices


@shared_task(name="meetings.send_due_reminders")
def send_due_reminders_task() -> int:
    """The beat tick: enqueue a task for each reminder round that is due."""
    return notices.send_due_reminders()


@shared_task(name="meetings.send_reminder")
def send_reminder_task(meeting_id: int, offset: int, starts_at: str) -> int:
    """Queue the e-mails of one reminder round."""
    reminder = notices.Reminder(meeting_id, offset, datetime.fromisoformat(starts_at))
    return notices.send_reminder(reminder)


@shared_task(name="meetings.send_invitations")
def send_invitations_task(meeting_id: int) -> int:
    """Render and queue the e-mails of one meeting's invitations "to send"."""
    return invitations.send_pending_invitations(meeting_id=meeting_id)


@shared_task(name="meetings.send_notice_round")
def send_notice_round_task(round_id: int) -> int:
    """Queue the e-mails of one nudge or published summary."""
    return notices.send_notice_round(round_id)


@shared_task(name="meetings.send_pending_invitations")
def send_pending_invitations_task() -> int:
    """The sweep: invitations, nudges and summaries still "to send" whose task never ran (the
    broker was down)."""
    return invitations.send_pending_invitations(
        older_than=invitations.SWEEP_GRACE
    ) + notices.send_requested_notices(older_than=invitations.SWEEP_GRACE)
