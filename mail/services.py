"""The outbox: every e-mail the portal sends is queued here and sent by a Celery worker."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A queued row whose task message never arrived (broker down, worker killed) is re-enqueued by
# the beat sweep once this grace period has passed.
ENQUEUE_GRACE = timedelta(minutes=2)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 60))


def render_email(template: str, context: dict, *, language: str) -> tuple[str, str, str]:
    """Render ``template``/{subject.txt,body.txt,body.html} in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"{template}/subject.txt", context)
        body_text = render_to_string(f"{template}/body.txt", context)
        try:
            body_html = render_to_string(f"{template}/body.html", context)
        except TemplateDoesNotExist:
            body_html = html_from_text(body_text, subject=subject, language=language)
    return " ".join(subject.split()), body_text.strip() + "\n", body_html


def html_from_text(body_text: str, *, subject: str, language: str) -> str:
    """Wrap a plain-text body in the portal's HTML e-mail layout."""
    # render_to_string marks the text as safe, and urlize leaves safe text unescaped: a plain
    # str copy makes it escape the text (a name with "<script>") around the links it makes.
    body_text = body_text.encode().decode()
    with translation.override(language):
        return render_to_string(
            "mail/layout.html",
            {"subject": subject, "body": mark_safe(linebreaks(urlize(body_text, autoescape=True)))},  # noqa: S308
        )


def queue_email(
    *, to: str, template: str, context: dict, language: str | None = None
) -> OutgoingEmail:
    """Render an e-mail from templates in the recipient's language and queue it for sending."""
    language = language or settings.LANGUAGE_CODE
    subject, body_text, body_html = render_email(template, context, language=language)
    return queue_rendered_email(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        template=template,
    )


def queue_rendered_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str,
    template: str = "",
) -> OutgoingEmail:
    """Store an already rendered e-mail and hand it to a worker once the transaction commits."""
    email = OutgoingEmail(
        to=to,
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        template=template,
        next_attempt_at=timezone.now() + ENQUEUE_GRACE,
    )
    email.full_clean()
    email.save()
    transaction.on_commit(lambda: enqueue_email(email.pk))
    return email


def enqueue_email(pk: int) -> None:
    """Send the task message; if the broker is down the beat sweep enqueues the row later."""
    from .tasks import send_email_task

    try:
        send_email_task.apply_async((pk,), retry=True, retry_policy={"max_retries": 2})
    except Exception:  # noqa: BLE001 - the row stays queued and the sweep retries it
        logger.warning("Could not enqueue outgoing e-mail %s; the sweep will retry it.", pk)


def send_queued_email(pk: int) -> OutgoingEmail | None:
    """Send one queued e-mail; the row lock makes concurrent or repeated tasks send it once."""
    with transaction.atomic(durable=True):
        email = OutgoingEmail.objects.select_for_update().filter(pk=pk).first()
        if email is None or email.status not in (
            OutgoingEmail.Status.QUEUED,
            OutgoingEmail.Status.RETRYING,
        ):
            return email
        email.attempts += 1
        try:
            _deliver(email)
        except Exception as exc:  # noqa: BLE001 - any delivery failure is recorded and retried
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
                email.next_attempt_at = None
            else:
                email.status = OutgoingEmail.Status.RETRYING
                email.next_attempt_at = timezone.now() + _retry_delay(email.attempts)
            logger.warning("Sending outgoing e-mail %s failed: %s", pk, email.last_error)
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.next_attempt_at = None
            email.last_error = ""
        email.save()
    return email


def _deliver(email: OutgoingEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.to],
        headers={"Message-ID": email.message_id, "Content-Language": email.language},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.send(fail_silently=False)


def requeue_due_emails(*, limit: int = 500) -> int:
    """Enqueue queued or retrying rows that are due; return how many were enqueued."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        due = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(
                status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING],
                next_attempt_at__lte=now,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        OutgoingEmail.objects.filter(pk__in=due).update(next_attempt_at=now + ENQUEUE_GRACE)
        for pk in due:
            transaction.on_commit(lambda pk=pk: enqueue_email(pk))
    return len(due)
