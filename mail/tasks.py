from celery import shared_task

from . import services


@shared_task(name="mail.send_email")
def send_email_task(email_id: int) -> None:
    services.send_queued_email(email_id)


@shared_task(name="mail.send_emails")
def send_emails_task(email_ids: list[int]) -> int:
    """A batch of a bulk queue, sent over one SMTP connection."""
    return services.send_queued_emails(email_ids)


@shared_task(name="mail.requeue_stuck_emails")
def requeue_stuck_emails_task() -> int:
    return services.sweep_outbox()


@shared_task(name="mail.probe_smtp")
def probe_smtp_task() -> int:
    return services.pull_waiting_emails_forward_if_smtp_answers()


@shared_task(name="mail.purge_old_emails")
def purge_old_emails_task() -> int:
    return services.purge_old_emails()


@shared_task(name="mail.retry_failed_emails")
def retry_failed_emails_task(by_id: int | None) -> int:
    """Staff's "retry all": the failed e-mails are re-queued in batches."""
    return services.retry_failed_emails(by_id=by_id)
