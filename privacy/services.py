"""Copies and erasure of personal data, over every app's personal_data module."""

import json
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.enqueue import enqueue_or_leave_for_sweep
from core.models import AuditEntry
from core.page_cache import forget_pages
from core.tokens import new_token, token_hash
from mail.services import queue_email
from organizations.roles import is_organization_admin

from .models import DataExport
from .providers import personal_data_modules

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
# A copy whose preparation failed or stopped this many times is given up (marked failed).
EXPORT_MAX_ATTEMPTS = 3
# The sweep enqueues a pending copy never tried after this (its task message was not sent)...
EXPORT_ENQUEUE_GRACE = timedelta(minutes=1)
# ...and tries one again this long after its last attempt began (longer than a task may run).
EXPORT_RETRY_AFTER = timedelta(minutes=10)


# --- Building a copy ----------------------------------------------------------------------


def build_user_export(user) -> dict:
    """Return everything the portal holds about the user, one section per app."""
    sections = {
        label: module.export_user(user) for label, module in personal_data_modules().items()
    }
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "subject": {"kind": "user", "id": user.pk},
        "sections": sections,
    }


def build_organization_export(organization) -> dict:
    """Return what the portal holds about the organization, for its admins."""
    sections = {
        label: module.export_organization(organization)
        for label, module in personal_data_modules().items()
        if hasattr(module, "export_organization")
    }
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "subject": {"kind": "organization", "id": organization.pk, "slug": organization.slug},
        "sections": sections,
    }


def export_root() -> Path:
    return Path(settings.PRIVACY_EXPORT_ROOT)


def export_file(export: DataExport) -> Path | None:
    if not export.file_name:
        return None
    return export_root() / export.file_name


def _remove_file(export: DataExport) -> None:
    path = export_file(export)
    if path is not None:
        path.unlink(missing_ok=True)


# --- Requesting and preparing -------------------------------------------------------------


def request_user_export(*, request, user, by) -> DataExport:
    """Ask for a copy of the user's data; a worker prepares it and e-mails the link to ``by``."""
    if by.pk != user.pk:
        # Staff acting on someone's behalf: the view checked the role, the log says who.
        audit.record(request, audit.Action.DATA_EXPORT, user)
    with transaction.atomic(durable=True):
        # Pressing the button twice prepares one copy, not two.
        pending = DataExport.objects.filter(
            requested_by=by, subject_user=user, status=DataExport.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(requested_by=by, subject_user=user)
        transaction.on_commit(lambda: enqueue_export(export.pk))
    return export


def request_organization_export(*, request, organization, by) -> DataExport:
    """Ask for a copy of the organization's data for one of its admins."""
    if not is_organization_admin(by, organization):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        pending = DataExport.objects.filter(
            requested_by=by, organization=organization, status=DataExport.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(requested_by=by, organization=organization)
        audit.record(request, audit.Action.DATA_EXPORT, organization)
        transaction.on_commit(lambda: enqueue_export(export.pk))
    return export


def enqueue_export(export_id: int) -> bool:
    """Send the task that prepares the copy; with the broker down the sweep sends it later."""
    from .tasks import prepare_export_task

    return enqueue_or_leave_for_sweep(
        prepare_export_task, (export_id,), what=f"data export {export_id}"
    )


def prepare_export(*, export_id: int) -> DataExport | None:
    """Write the export's JSON file and e-mail its one-time link; repeat nothing on a retry.

    Each attempt is counted in its own committed transaction before the copy is built, so an
    attempt that kills its worker counts too; the sweep tries a pending copy again, and after
    EXPORT_MAX_ATTEMPTS the copy is marked failed and the person told.
    """
    with transaction.atomic(durable=True):
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != DataExport.Status.PENDING:
            return export
        if export.attempts >= EXPORT_MAX_ATTEMPTS:
            _fail_export(export)
            return export
        export.attempts += 1
        export.attempted_at = timezone.now()
        export.save(update_fields=["attempts", "attempted_at"])
    try:
        return _build_export(export_id)
    except Exception:
        logger.exception(
            "Preparing data export %s failed (attempt %s of %s).",
            export_id,
            export.attempts,
            EXPORT_MAX_ATTEMPTS,
        )
        if export.attempts >= EXPORT_MAX_ATTEMPTS:
            give_up_export(export_id=export_id)
        raise


def give_up_export(*, export_id: int) -> DataExport | None:
    """Mark a copy that could not be prepared as failed and tell the person who asked."""
    with transaction.atomic(durable=True):
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is not None and export.status == DataExport.Status.PENDING:
            _fail_export(export)
    return export


def _fail_export(export: DataExport) -> None:
    export.status = DataExport.Status.FAILED
    export.save(update_fields=["status"])
    logger.error("Data export %s failed after %s attempt(s).", export.pk, export.attempts)
    recipient = export.requested_by
    queue_email(
        to=recipient.email,
        template="privacy/emails/export_failed",
        language=recipient.language,
        context={
            "organization": export.organization,
            "link": settings.SITE_URL + reverse("privacy:my_data"),
        },
    )


def sweep_pending_exports(*, limit: int = 100) -> int:
    """Enqueue copies still pending: never enqueued (the broker was down) or whose last attempt
    stopped (an error, a killed worker). Return how many."""
    now = timezone.now()
    stale = Q(attempted_at__isnull=True, created_at__lte=now - EXPORT_ENQUEUE_GRACE) | Q(
        attempted_at__lte=now - EXPORT_RETRY_AFTER
    )
    pks = list(
        DataExport.objects.filter(status=DataExport.Status.PENDING)
        .filter(stale)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pks:
        if not enqueue_export(pk):
            break
    return len(pks)


def _build_export(export_id: int) -> DataExport | None:
    with transaction.atomic(durable=True):
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("requested_by", "subject_user", "organization")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status != DataExport.Status.PENDING:
            return export
        if export.subject_user_id:
            data = build_user_export(export.subject_user)
            prefix = "user"
        else:
            data = build_organization_export(export.organization)
            prefix = "organization"
        token, hashed = new_token()
        export.file_name = f"{prefix}-{export.pk}-{hashed[:16]}.json"
        path = export_file(export)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        path.chmod(0o600)
        now = timezone.now()
        export.status = DataExport.Status.READY
        export.token_hash = hashed
        export.ready_at = now
        export.expires_at = now + timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
        export.save()
        recipient = export.requested_by
        queue_email(
            to=recipient.email,
            template="privacy/emails/export_ready",
            language=recipient.language,
            not_after=export.expires_at,
            context={
                "export": export,
                "organization": export.organization,
                "link": settings.SITE_URL + reverse("privacy:download", args=[token]),
                "hours": settings.PRIVACY_EXPORT_LINK_HOURS,
            },
        )
    return export


class NoLongerAdmin(PermissionDenied):
    """The organization's copy was asked for by someone who is no longer its admin."""


def take_export_download(*, request, token: str) -> tuple[bytes, str]:
    """Return the export's content and file name once; the link is dead afterwards.

    Only the user who asked for the export may download it: a forwarded e-mail is not enough.
    An organization's copy only while they are still its admin (checked now, not when asked).
    """
    with transaction.atomic(durable=True):
        export = (
            DataExport.objects.select_for_update()
            .filter(token_hash=token_hash(token), status=DataExport.Status.READY)
            .first()
        )
        if export is None or export.expires_at <= timezone.now():
            raise ValidationError(_("This download link has expired or was already used."))
        if export.requested_by_id != request.user.pk:
            raise PermissionDenied
        if export.organization_id and not is_organization_admin(request.user, export.organization):
            raise NoLongerAdmin(
                _(
                    "You are no longer an admin of this organization, so its copy is not "
                    "available to you. An admin of the organization can ask for a new copy."
                )
            )
        path = export_file(export)
        if path is None or not path.exists():
            # A worker without the shared folder, or a file removed by hand: ask again.
            logger.error("Export %s has no file at %s.", export.pk, path)
            raise ValidationError(_("This download link has expired or was already used."))
        content = path.read_bytes()
        export.status = DataExport.Status.DOWNLOADED
        export.downloaded_at = timezone.now()
        export.token_hash = ""
        export.save()
        if export.subject_user_id != request.user.pk:
            audit.record(
                request,
                audit.Action.DATA_DOWNLOAD,
                export.organization if export.organization_id else export.subject_user,
            )
    _remove_file(export)  # committed: the copy exists only in this response now
    return content, f"diaspora-portal-{export.file_name.rsplit('-', 1)[0]}.json"


def expire_exports() -> int:
    """Delete the files of exports whose link expired or was used; return how many expired."""
    now = timezone.now()
    expired = 0
    for export in DataExport.objects.filter(
        status=DataExport.Status.READY, expires_at__lte=now
    ).order_by("pk"):
        _remove_file(export)
        export.status = DataExport.Status.EXPIRED
        export.token_hash = ""
        export.save(update_fields=["status", "token_hash"])
        expired += 1
    return expired


# --- Erasure ------------------------------------------------------------------------------


def organizations_left_without_admin(user) -> list:
    """Return what erasing the user leaves without an admin (each app's
    ``personal_data.left_without_admin``: the organizations of which the user is the only
    admin)."""
    left = []
    for module in personal_data_modules().values():
        if hasattr(module, "left_without_admin"):
            left += module.left_without_admin(user)
    return left


def erase_user(*, request, user, by) -> int:
    """Erase the user's account and personal data in every app; return the erased user's id.

    ``by`` is the user themself or a member of staff acting on their request (logged). What the
    organizations need stays: the organization, other admins, minutes, attendance counts.
    """
    User = get_user_model()
    acting_for_someone = by is not None and by.pk != user.pk
    if acting_for_someone and user.is_superuser:
        raise ValidationError(_("A superuser's account is erased in the Django admin."))
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        orphaned = organizations_left_without_admin(user)
        for module in personal_data_modules().values():
            module.erase_user(user)
        user_id = user.pk
        exports = list(
            DataExport.objects.filter(requested_by=user)
            | DataExport.objects.filter(subject_user=user)
        )
        user.delete()
        # Apps erase with bulk updates that send no signal: no cached public page may keep
        # what was erased (an address an organization published, say).
        forget_pages()
        for export in exports:
            transaction.on_commit(lambda export=export: _remove_file(export))
        # The person's own acts are logged under their pseudonym: the account is gone.
        actor = by if acting_for_someone else None
        for organization in orphaned:
            audit.record(
                request, audit.Action.LAST_ADMIN_LEFT, organization, actor=actor, actor_id=user_id
            )
        AuditEntry.objects.create(
            actor=actor,
            actor_ref=audit.pseudonym(actor.pk if actor is not None else user_id),
            action=audit.Action.ERASURE,
            object_type="accounts.user",
            object_id=str(user_id),
            object_label=f"#{user_id}",
            path=request.path[:500] if request is not None else "",
        )
    logger.info("Erased user %s (%s).", user_id, "by staff" if acting_for_someone else "self")
    return user_id
