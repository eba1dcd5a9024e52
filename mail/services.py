"""The outbox: every e-mail the portal sends is queued here and sent by a Celery worker.

The rules that keep an e-mail from leaking, looping or being silently dropped:

- A row is stored in the caller's transaction and its task message is sent after the commit, so
  a rollback sends nothing. Sending the message never waits long for the broker (about two
  seconds, see CELERY_BROKER_TRANSPORT_OPTIONS); when it fails, the row waits for the sweep.
- An attempt is first marked in its own committed transaction (attempts + 1, "sending", a lease)
  and only then does the worker talk to SMTP. A worker killed after the server's 250 and before
  the outcome was recorded leaves a "sending" row whose lease runs out; the sweep gives it one
  more try with the same Message-ID (receivers can drop the duplicate) and fails it when it is
  interrupted again, so a message that kills its worker cannot loop.
- Permanent SMTP errors (5xx, a refused recipient) fail the row at once; temporary ones retry
  with back-off from seconds to hours, for more than three days in all. A successful send, or
  the once-a-minute SMTP probe finding the server answering again, pulls every waiting row
  forward.
- The sweep runs every few seconds (beat). Retries are not held as countdown tasks on the broker:
  a SIGKILLed worker would take them along until the broker's visibility timeout.
- The sweep adds a task message only for rows that have none on its way: a queued row whose
  message could not be sent, a retrying row that is due, a row whose lease ran out, or a row
  whose message is lost. A message is taken as lost when the broker's queue is empty and the
  row has waited LOST_MESSAGE_GRACE since it was enqueued (a worker SIGKILLed before it claimed
  the row: Redis would give its unacked message back only after the visibility timeout), or in
  any case after QUEUE_PATIENCE (a broker that lost its data). A row whose task merely waits in
  a busy queue is left alone for QUEUE_PATIENCE. A second message for a row is harmless: the
  row lock and the lease let one attempt through, the other returns.
- A row past its ``not_after`` time is dropped as "expired", never delivered late.
- Bodies with a one-time link or code are removed once the e-mail is sent; sent, expired and
  failed rows are deleted after MAIL_RETENTION_DAYS.
"""

import contextlib
import logging
import re
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.http.request import split_domain_port, validate_host
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from core.batches import delete_in_batches
from core.enqueue import enqueue_all_or_leave_for_sweep, enqueue_or_leave_for_sweep
from core.site import site_domain

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status
PENDING = [Status.QUEUED, Status.RETRYING]

# How long each temporary failure waits before the next attempt: seconds first, so a short
# outage is ridden out quickly, then hours, so a weekend outage is too (more than 72 hours in
# all). The last failure after these fails the row for good.
RETRY_DELAYS = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=5),
    timedelta(minutes=10),
    timedelta(minutes=20),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    *[timedelta(hours=6)] * 11,
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A queued row whose task message could not be sent is enqueued by the sweep after this (the
# sweep runs every few seconds, see CELERY_BEAT_SCHEDULE). Retries are enqueued by the sweep
# too, not held as countdown tasks, so a worker killed meanwhile cannot strand them.
ENQUEUE_GRACE = timedelta(seconds=30)
# A task message that has not been picked up after this long is taken as lost (the broker lost
# its data) and sent again, busy queue or not. Duplicate messages are harmless (the row lock),
# only wasteful: at most one more per row and QUEUE_PATIENCE.
QUEUE_PATIENCE = timedelta(minutes=10)
# With the broker's queue empty, a row still waiting this long after its message was sent has
# lost it (held unacked by a killed worker, or dropped) and gets a new one.
LOST_MESSAGE_GRACE = timedelta(seconds=30)
# A row whose worker stopped during an attempt this many times fails instead of being retried.
MAX_INTERRUPTIONS = 2
# Rows per task message of a bulk queue (``queue_rendered_emails``): one SMTP connection and two
# commits for the batch instead of one connection and three commits per e-mail.
SEND_BATCH = 20
# Failed rows given fresh attempts per transaction by "retry all".
RETRY_BATCH = 500
# Rows per DELETE when old rows are purged.
PURGE_BATCH = 1000

# E-mails that carry a live link or code: allauth's password reset key, confirmation key and
# login code, the RSVP link of a meeting invitation, the colleague and onboarding invitations
# and the data copy link. Their bodies are removed in every final state (sent, failed,
# expired): whoever reads the outbox must not be able to use them.
SECRET_TEMPLATE_PREFIXES = (
    "account/email/password_reset",
    "account/email/email_confirm",
    "account/email/login_code",
    "account/email/reauthentication_code",
    "meetings/emails/invitation",
    "onboarding/emails/invitation",
    "organizations/emails/member_invitation",
    "privacy/emails/export_ready",
)


def carries_secret(email: OutgoingEmail) -> bool:
    """Whether the e-mail holds a live link or code (its body goes once it is final)."""
    return email.template.startswith(SECRET_TEMPLATE_PREFIXES)


def lease_duration() -> timedelta:
    """How long one attempt may take before the sweep takes its worker for dead."""
    return timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th attempt failed for a temporary reason."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


# --- Rendering ----------------------------------------------------------------------------


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


_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def _is_portal_url(url: str) -> bool:
    host = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in host:
        return False
    domain, _port = split_domain_port(host)
    portal_domain = site_domain()
    if domain and domain == portal_domain:
        return True
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def linkify_portal_urls(text: str) -> str:
    """Escape ``text`` and make links of the portal's own http(s) URLs in it, nothing else.

    Bare domains, e-mail addresses and URLs of other sites stay plain text, so a display name
    such as "evil.example" or "https://evil.example" never becomes a link in an e-mail.
    """
    parts = []
    position = 0
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        end = match.start() + len(url)
        parts.append(escape(text[position : match.start()]))
        if _is_portal_url(url):
            parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        else:
            parts.append(escape(url))
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def html_from_text(body_text: str, *, subject: str, language: str) -> str:
    """Wrap a plain-text body in the portal's HTML e-mail layout."""
    with translation.override(language):
        # linkify_portal_urls escapes everything it does not turn into a link
        body = mark_safe(linebreaks(linkify_portal_urls(body_text)))  # noqa: S308
        return render_to_string("mail/layout.html", {"subject": subject, "body": body})


# --- Queueing -----------------------------------------------------------------------------


def queue_email(
    *,
    to: str,
    template: str,
    context: dict,
    language: str | None = None,
    not_after: datetime | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
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
        not_after=not_after,
        headers=headers,
        attachments=attachments,
    )


def queue_rendered_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str,
    template: str = "",
    not_after: datetime | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutgoingEmail:
    """Store an already rendered e-mail and hand it to a worker once the transaction commits.

    ``not_after``: drop the e-mail instead of delivering it later than this. ``attachments``:
    text files as ``{"filename", "content", "mimetype"}`` (e.g. an .ics invitation).
    """
    for attachment in attachments or []:
        if not {"filename", "content"} <= attachment.keys():
            raise ValueError("An attachment needs a filename and a content.")
    email = OutgoingEmail(
        to=to,
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        template=template,
        not_after=not_after,
        headers=headers or {},
        attachments=attachments or [],
        next_attempt_at=timezone.now() + ENQUEUE_GRACE,
    )
    email.full_clean()
    email.save()
    transaction.on_commit(lambda: enqueue_email(email.pk))
    return email


def queue_rendered_emails(messages: list[dict]) -> list[OutgoingEmail]:
    """Store many rendered e-mails in one bulk insert; their task messages follow the commit.

    Each item takes the keyword arguments of ``queue_rendered_email``. The rows live exactly as
    one queued by ``queue_rendered_email`` does: same states, retries, sweep and ``not_after``.

    The rows are stored already marked as enqueued: once their task messages are out, workers
    lock them at once, so nothing may update them after publishing (an UPDATE over the whole
    batch locks its rows in another order than the workers do, and the two deadlock). Rows
    whose message could not be sent are unmarked for the sweep; a process that dies between
    the commit and the publish leaves rows the sweep takes as lost (LOST_MESSAGE_GRACE).
    """
    now = timezone.now()
    emails = []
    for message in messages:
        for attachment in message.get("attachments") or []:
            if not {"filename", "content"} <= attachment.keys():
                raise ValueError("An attachment needs a filename and a content.")
        email = OutgoingEmail(
            to=message["to"],
            from_email=settings.DEFAULT_FROM_EMAIL,
            subject=message["subject"],
            body_text=message["body_text"],
            body_html=message.get("body_html", ""),
            language=message["language"],
            template=message.get("template", ""),
            not_after=message.get("not_after"),
            headers=message.get("headers") or {},
            attachments=message.get("attachments") or [],
            next_attempt_at=now + ENQUEUE_GRACE,
            enqueued_at=now,
        )
        # No uniqueness queries: the UUID is fresh and the database enforces it anyway.
        email.full_clean(validate_unique=False, validate_constraints=False)
        emails.append(email)
    emails = OutgoingEmail.objects.bulk_create(emails, batch_size=500)
    pks = [email.pk for email in emails]
    if pks:
        transaction.on_commit(lambda: enqueue_emails(pks))
    return emails


def enqueue_emails(pks: list[int]) -> int:
    """Send the task messages of many fresh rows over one broker connection; return how many.

    Each message carries SEND_BATCH rows, which one worker sends over one SMTP connection. The
    rows were marked as enqueued when they were stored; only those whose message could not be
    sent are touched here (no worker holds them), and left for the sweep as with
    ``enqueue_email``.
    """
    from .tasks import send_emails_task

    batches = [pks[start : start + SEND_BATCH] for start in range(0, len(pks), SEND_BATCH)]
    messages = enqueue_all_or_leave_for_sweep(
        send_emails_task, [(batch,) for batch in batches], what="outgoing e-mails"
    )
    sent = sum(len(batch) for batch in batches[:messages])
    if sent < len(pks):
        OutgoingEmail.objects.filter(pk__in=pks[sent:], status__in=PENDING).update(enqueued_at=None)
    return sent


def enqueue_email(pk: int) -> bool:
    """Send the row's task message; if the broker is unreachable the sweep enqueues it later.

    Never waits for the broker longer than its connect/read timeouts: this runs in web requests.
    """
    from .tasks import send_email_task

    # No retry here: the outbox row is the retry, and a web worker must not wait.
    if not enqueue_or_leave_for_sweep(send_email_task, (pk,), what=f"outgoing e-mail {pk}"):
        _forget_enqueue(pk)
        return False
    # A fresh row is marked only now that its message is known to be on its way; the
    # conditions leave alone a row a worker has claimed meanwhile.
    OutgoingEmail.objects.filter(
        pk=pk, status=Status.QUEUED, attempts=0, enqueued_at__isnull=True
    ).update(enqueued_at=timezone.now())
    return True


def _forget_enqueue(pk: int) -> None:
    OutgoingEmail.objects.filter(pk=pk, status__in=PENDING).update(enqueued_at=None)


# --- Sending ------------------------------------------------------------------------------


def send_queued_email(pk: int) -> OutgoingEmail | None:
    """Send one pending e-mail; concurrent or repeated tasks for the same row send it once."""
    email, claimed = _claim_attempt(pk)
    if not claimed:
        # sent, failed, expired, or another worker's attempt is under way
        return email
    try:
        _deliver(email)
    except Exception as exc:  # noqa: BLE001 - every delivery failure is recorded
        return _record_failure(email, exc)
    return _record_success(email)


def send_queued_emails(pks: list[int]) -> int:
    """Send a batch of pending e-mails over one SMTP connection; return how many were sent.

    The same rules as ``send_queued_email``, row by row: each attempt is claimed (and counted)
    in a committed transaction before SMTP is contacted, rows another worker holds are skipped,
    late rows expire, every failure is recorded for its row. The batch stops before its lease
    could run out; rows it did not try go back to the sweep untouched.
    """
    emails = _claim_attempts(pks)
    if not emails:
        return 0
    deadline = time.monotonic() + lease_duration().total_seconds() - 2 * settings.EMAIL_TIMEOUT
    delivered, failed, untried = [], [], []
    connection = None
    for email in emails:
        # The first row is always tried, so a batch makes progress even with a lease shorter
        # than two SMTP timeouts.
        if (delivered or failed) and time.monotonic() > deadline:
            untried.append(email)
            continue
        try:
            if connection is None:
                connection = get_connection(fail_silently=False)
                connection.open()
            _deliver(email, connection=connection)
        except Exception as exc:  # noqa: BLE001 - every delivery failure is recorded
            failed.append((email, exc))
            if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                # the connection may be broken: the next row gets a fresh one
                _close_quietly(connection)
                connection = None
        else:
            delivered.append(email)
    _close_quietly(connection)
    _record_successes(delivered)
    for email, exc in failed:
        _record_failure(email, exc)
    _release(untried)
    return len(delivered)


def _close_quietly(connection) -> None:
    if connection is not None:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()


def _claim_attempts(pks: list[int]) -> list[OutgoingEmail]:
    with transaction.atomic(durable=True):
        # Waits for rows another transaction holds (a sweep, a repeated task) instead of
        # skipping them, as ``_claim_attempt`` does: a skipped row would keep its task message
        # mark and wait for QUEUE_PATIENCE. Locks are taken in pk order, so batches never
        # deadlock.
        rows = list(
            OutgoingEmail.objects.select_for_update()
            .filter(pk__in=pks, status__in=PENDING)
            .order_by("pk")
        )
        now = timezone.now()
        claimed = []
        for email in rows:
            if email.not_after is not None and now > email.not_after:
                _expire(email)
                continue
            email.status = Status.SENDING
            email.attempts += 1
            email.lease_until = now + lease_duration()
            email.enqueued_at = None
            claimed.append(email)
        # One UPDATE for the batch (every row gets the same values but its own attempt count).
        OutgoingEmail.objects.filter(pk__in=[email.pk for email in claimed]).update(
            status=Status.SENDING,
            attempts=F("attempts") + 1,
            lease_until=now + lease_duration(),
            enqueued_at=None,
            updated_at=now,
        )
    return claimed


def _record_successes(emails: list[OutgoingEmail]) -> None:
    if not emails:
        return
    attempts = {email.pk: email.attempts for email in emails}
    with transaction.atomic(durable=True):
        rows = [
            row
            # in pk order, as every other lock on these rows is taken
            for row in OutgoingEmail.objects.select_for_update()
            .filter(pk__in=attempts, status=Status.SENDING)
            .order_by("pk")
            if row.attempts == attempts[row.pk]
        ]
        now = timezone.now()
        OutgoingEmail.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Status.SENT,
            sent_at=now,
            lease_until=None,
            next_attempt_at=None,
            enqueued_at=None,
            last_error="",
            updated_at=now,
        )
        secret = [row.pk for row in rows if carries_secret(row)]
        if secret:
            OutgoingEmail.objects.filter(pk__in=secret).update(
                body_text="", body_html="", attachments=[], redacted_at=now
            )
        if OutgoingEmail.objects.filter(status=Status.RETRYING, enqueued_at__isnull=True).exists():
            transaction.on_commit(pull_waiting_emails_forward)


def _release(emails: list[OutgoingEmail]) -> None:
    """Give rows claimed but not tried back to the sweep, their attempt not counted."""
    if not emails:
        return
    with transaction.atomic(durable=True):
        for email in emails:
            OutgoingEmail.objects.filter(
                pk=email.pk, status=Status.SENDING, attempts=email.attempts
            ).update(
                status=Status.RETRYING,
                attempts=email.attempts - 1,
                lease_until=None,
                next_attempt_at=timezone.now(),
                enqueued_at=None,
            )


def _claim_attempt(pk: int) -> tuple[OutgoingEmail | None, bool]:
    # Committed before SMTP is contacted: a worker killed during the attempt still counts it.
    with transaction.atomic(durable=True):
        email = OutgoingEmail.objects.select_for_update().filter(pk=pk).first()
        if email is None or email.status not in PENDING:
            return email, False
        now = timezone.now()
        if email.not_after is not None and now > email.not_after:
            _expire(email)
            return email, False
        email.status = Status.SENDING
        email.attempts += 1
        email.lease_until = now + lease_duration()
        email.enqueued_at = None
        email.save()
    return email, True


def _deliver(email: OutgoingEmail, *, connection=None) -> None:
    message = EmailMultiAlternatives(
        connection=connection,
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.to],
        headers={
            **email.headers,
            "Message-ID": email.message_id,
            "Content-Language": email.language,
        },
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["filename"],
            attachment["content"],
            attachment.get("mimetype") or "text/plain",
        )
    message.send(fail_silently=False)


def is_permanent_error(exc: BaseException) -> bool:
    """Return whether retrying cannot help: the server refused this message or recipient, or
    the message cannot be built."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPConnectError):
        # The portal's own SMTP settings or a server not ready: the same for every e-mail.
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    # A message that cannot even be built (a header with a newline, an undecodable attachment)
    # fails the same way on every attempt.
    return isinstance(exc, ValueError | TypeError | KeyError)


def describe_error(exc: BaseException, *, recipient: str) -> str:
    """Describe a delivery error for the row and the log, without the recipient's address."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(
            f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for code, message in exc.recipients.values()
        )
        text = f"{type(exc).__name__}: {replies}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if recipient:
        text = text.replace(recipient, "<recipient>")
    return text[:2000]


def _record_success(email: OutgoingEmail) -> OutgoingEmail | None:
    with transaction.atomic(durable=True):
        row = OutgoingEmail.objects.select_for_update().filter(pk=email.pk).first()
        if row is None or row.status == Status.SENT:
            return row
        row.status = Status.SENT
        row.sent_at = timezone.now()
        row.lease_until = None
        row.next_attempt_at = None
        row.enqueued_at = None
        row.last_error = ""
        if carries_secret(row):
            _redact(row)
        row.save()
        transaction.on_commit(pull_waiting_emails_forward)
    return row


def _redact(email: OutgoingEmail) -> None:
    email.body_text = ""
    email.body_html = ""
    email.attachments = []
    email.redacted_at = timezone.now()


def _record_failure(email: OutgoingEmail, exc: BaseException) -> OutgoingEmail | None:
    error = describe_error(exc, recipient=email.to)
    permanent = is_permanent_error(exc)
    with transaction.atomic(durable=True):
        row = OutgoingEmail.objects.select_for_update().filter(pk=email.pk).first()
        if row is None or row.status != Status.SENDING or row.attempts != email.attempts:
            # The lease ran out and the sweep moved the row on; its new state stands.
            logger.warning("Outgoing e-mail %s failed after its lease ran out: %s", email.pk, error)
            return row
        row.last_error = error
        row.lease_until = None
        if permanent or row.attempts >= MAX_ATTEMPTS:
            _fail(row)
        else:
            delay = retry_delay(row.attempts)
            row.status = Status.RETRYING
            row.next_attempt_at = timezone.now() + delay
            row.enqueued_at = None  # the sweep enqueues it when it is due
            logger.warning(
                "Sending outgoing e-mail %s failed (attempt %s), retrying in %s: %s",
                row.pk,
                row.attempts,
                delay,
                error,
            )
        row.save()
    return row


def _fail(email: OutgoingEmail) -> None:
    email.status = Status.FAILED
    if carries_secret(email):
        _redact(email)
    email.next_attempt_at = None
    email.enqueued_at = None
    email.lease_until = None
    # No address in the log: the row's id leads staff to it on /staff/outbox/failed/.
    logger.error(
        "Outgoing e-mail %s failed for good after %s attempt(s): %s",
        email.pk,
        email.attempts,
        email.last_error,
    )


def _expire(email: OutgoingEmail) -> None:
    email.status = Status.EXPIRED
    if carries_secret(email):
        _redact(email)
    email.next_attempt_at = None
    email.enqueued_at = None
    email.lease_until = None
    email.save()
    logger.info("Outgoing e-mail %s expired unsent (not after %s).", email.pk, email.not_after)


# --- The sweep ----------------------------------------------------------------------------


def pull_waiting_emails_forward(*, limit: int = 1000) -> int:
    """Enqueue every retrying row that waits for the sweep now: SMTP answers again."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        pks = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.RETRYING, enqueued_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not pks:
            return 0
        OutgoingEmail.objects.filter(pk__in=pks).update(next_attempt_at=now, enqueued_at=now)
        transaction.on_commit(lambda: enqueue_emails(pks))
    logger.info("SMTP accepts e-mail again: %s waiting e-mail(s) pulled forward.", len(pks))
    return len(pks)


def sweep_outbox(*, limit: int = 500) -> int:
    """Recover interrupted attempts, enqueue due rows, expire late ones; return rows enqueued."""
    enqueued = _recover_interrupted_attempts(limit=limit)
    enqueued += _enqueue_due_rows(limit=limit)
    _expire_late_rows(limit=limit)
    return enqueued


def pull_waiting_emails_forward_if_smtp_answers() -> int:
    """Probe SMTP while rows wait in back-off, so its return is noticed within a minute."""
    if _smtp_answers_while_rows_wait():
        return pull_waiting_emails_forward()
    return 0


def _recover_interrupted_attempts(*, limit: int) -> int:
    now = timezone.now()
    with transaction.atomic(durable=True):
        rows = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.SENDING, lease_until__lte=now)
            .order_by("pk")[:limit]
        )
        retried = []
        for row in rows:
            row.interruptions += 1
            row.lease_until = None
            row.last_error = (
                f"The worker stopped during attempt {row.attempts} before it recorded the "
                "outcome; the e-mail may have been delivered."
            )
            if row.interruptions >= MAX_INTERRUPTIONS or row.attempts >= MAX_ATTEMPTS:
                _fail(row)
            else:
                # One more try with the same Message-ID, so a receiver that got the first one
                # can drop the duplicate.
                row.status = Status.RETRYING
                row.next_attempt_at = now
                row.enqueued_at = now
                retried.append(row.pk)
            row.save()
        if retried:
            transaction.on_commit(lambda: enqueue_emails(retried))
    return len(retried)


def broker_queue_length() -> int | None:
    """Return how many task messages wait in the e-mail queue, or None if the broker won't say.

    Works on Redis and on RabbitMQ (a passive declare); a queue the broker does not know holds
    nothing (Redis drops the key of an empty list).
    """
    from amqp.exceptions import ChannelError
    from celery import current_app as app

    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=0, timeout=2)
            declared = connection.default_channel.queue_declare(
                queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=True
            )
    except ChannelError as exc:
        if str(getattr(exc, "reply_code", "")) == "404":  # Redis says "404", RabbitMQ 404
            return 0
        return None
    except Exception:  # noqa: BLE001 - a broker outage: assume the queue is busy
        return None
    return declared.message_count


def _enqueue_due_rows(*, limit: int) -> int:
    now = timezone.now()
    # no message on its way and due, or a message missing for too long
    lost = Q(enqueued_at__lte=now - QUEUE_PATIENCE)
    waiting_long = OutgoingEmail.objects.filter(
        status__in=PENDING, enqueued_at__lte=now - LOST_MESSAGE_GRACE
    )
    if waiting_long.exists() and broker_queue_length() == 0:
        lost = Q(enqueued_at__lte=now - LOST_MESSAGE_GRACE)
    with transaction.atomic(durable=True):
        pks = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status__in=PENDING)
            .filter(Q(enqueued_at__isnull=True, next_attempt_at__lte=now) | lost)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        OutgoingEmail.objects.filter(pk__in=pks).update(enqueued_at=now)
        if pks:
            transaction.on_commit(lambda: enqueue_emails(pks))
    return len(pks)


def _expire_late_rows(*, limit: int) -> None:
    now = timezone.now()
    with transaction.atomic(durable=True):
        late = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status__in=PENDING, not_after__lt=now)
            .order_by("pk")[:limit]
        )
        for email in late:
            _expire(email)


def _smtp_answers_while_rows_wait() -> bool:
    """Probe SMTP when retrying rows wait for their turn, so its return is noticed quickly."""
    if not OutgoingEmail.objects.filter(status=Status.RETRYING, enqueued_at__isnull=True).exists():
        return False
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
        connection.close()
    except Exception:  # noqa: BLE001 - still down: the rows keep waiting
        return False
    return True


def drop_pending_emails(*, pks) -> int:
    """Expire the pending e-mails among ``pks`` that must no longer go out (e.g. a reminder of
    a meeting cancelled since); one already being sent is left to finish. Return how many."""
    with transaction.atomic(durable=True):
        rows = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=pks, status__in=PENDING)
            .order_by("pk")
        )
        for email in rows:
            _expire(email)
    return len(rows)


# --- Retention and staff actions ----------------------------------------------------------


def purge_old_emails(*, retention_days: int | None = None) -> int:
    """Delete sent, expired and failed rows older than the retention period; return how many.

    In batches by primary key, each a plain DELETE: rows and their bodies are never loaded.
    """
    days = settings.MAIL_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = timezone.now() - timedelta(days=days)
    sent = OutgoingEmail.objects.filter(status=Status.SENT, sent_at__lt=cutoff)
    finished = OutgoingEmail.objects.filter(
        status__in=[Status.EXPIRED, Status.FAILED], updated_at__lt=cutoff
    )
    deleted = delete_in_batches(sent, size=PURGE_BATCH) + delete_in_batches(
        finished, size=PURGE_BATCH
    )
    if deleted:
        logger.info("Purged %s outgoing e-mail(s) older than %s days.", deleted, days)
    return deleted


def retry_failed_email(*, email_id: int, by) -> OutgoingEmail:
    """Give a failed e-mail a fresh set of attempts, as a member of staff asked."""
    with transaction.atomic(durable=True):
        email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
        if email.status != Status.FAILED or email.redacted_at is not None:
            # A removed body is not sent again empty: the sender asks for a new link instead.
            return email
        now = timezone.now()
        if email.not_after is not None and now > email.not_after:
            _expire(email)
            return email
        email.status = Status.RETRYING
        email.attempts = 0
        email.interruptions = 0
        email.next_attempt_at = now
        email.enqueued_at = now
        email.save()
        transaction.on_commit(lambda: enqueue_email(email.pk))
    logger.info("Staff user %s asked to retry outgoing e-mail %s.", by.pk, email.pk)
    return email


def request_retry_of_failed_emails(*, by) -> bool:
    """Ask a worker to give every failed e-mail a fresh set of attempts (``retry_failed_emails``).

    Return False when the broker cannot take the task now: nothing would be sent anyway.
    """
    from .tasks import retry_failed_emails_task

    try:
        retry_failed_emails_task.apply_async((by.pk,), retry=False)
    except Exception:  # noqa: BLE001 - the broker is down; staff are told to try again
        logger.warning("Could not enqueue the retry of failed e-mails asked by %s.", by.pk)
        return False
    logger.info("Staff user %s asked to retry every failed e-mail.", by.pk)
    return True


def retry_failed_emails(*, by_id: int | None) -> int:
    """Give every failed e-mail a fresh set of attempts, RETRY_BATCH rows per transaction, and
    enqueue them a task per SEND_BATCH rows; return how many will be sent again."""
    total = 0
    while True:
        retried, claimed = _retry_failed_batch()
        total += retried
        if claimed < RETRY_BATCH:
            break
    logger.info("Retried %s failed outgoing e-mail(s), as staff user %s asked.", total, by_id)
    return total


def _retry_failed_batch() -> tuple[int, int]:
    now = timezone.now()
    with transaction.atomic(durable=True):
        rows = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.FAILED)
            .order_by("pk")
            .values_list("pk", "not_after")[:RETRY_BATCH]
        )
        late = [pk for pk, not_after in rows if not_after is not None and now > not_after]
        retried = [pk for pk, not_after in rows if not (not_after is not None and now > not_after)]
        if late:
            OutgoingEmail.objects.filter(pk__in=late).update(
                status=Status.EXPIRED,
                next_attempt_at=None,
                enqueued_at=None,
                lease_until=None,
                updated_at=now,
            )
        if retried:
            OutgoingEmail.objects.filter(pk__in=retried).update(
                status=Status.RETRYING,
                attempts=0,
                interruptions=0,
                next_attempt_at=now,
                enqueued_at=now,
                updated_at=now,
            )
            transaction.on_commit(lambda: enqueue_emails(retried))
    return len(retried), len(rows)
