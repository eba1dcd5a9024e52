"""Every change on the noticeboard: posts, files, moderation, stages, cooperation, focal points."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import count_in_window
from core.csv_export import write_csv
from mail.services import queue_email
from organizations.models import Membership, Organization

from .models import Attachment, FocalPoint, Interest, ModerationEntry, Post, StageChange

RATE_WINDOW_SECONDS = 3600

# The fields of a post its author writes; the services set the rest.
POST_FIELDS = [
    "kind",
    "title",
    "body",
    "country",
    "city",
    "deadline",
    "language",
    "visibility",
    "seeking",
    "contact_name",
    "contact_email",
    "contact_phone",
    "eligibility",
    "how_to_apply",
    "results",
]


class RateLimited(ValidationError):
    pass


def _count_against_rate_limit(*, user, action: str, limit: int, message) -> None:
    """Count one ``action`` for the user; refuse beyond ``limit`` an hour (shared Redis cache)."""
    if count_in_window(f"workspace:{action}:{user.pk}", seconds=RATE_WINDOW_SECONDS) > limit:
        raise RateLimited(message, code="rate_limited")


def _admin_emails(organization: Organization) -> list[tuple[str, str]]:
    return list(
        Membership.objects.filter(
            organization=organization, role=Membership.Role.ADMIN, user__is_active=True
        )
        .order_by("user__email")
        .values_list("user__email", "user__language")
    )


def _author_recipients(post: Post) -> list[tuple[str, str]]:
    """The post's side: its organization's admins, or the focal point who wrote it."""
    if post.organization_id:
        return _admin_emails(post.organization)
    if post.author_id and post.author.is_active:
        return [(post.author.email, post.author.language)]
    return []


def _first_stage(kind: str) -> str:
    return Post.Stage.IDEA if kind == Post.Kind.PROJECT_IDEA else Post.Stage.OPEN


# --- Posts ------------------------------------------------------------------------------------


def create_post(
    *,
    by,
    organization: Organization | None,
    data: dict,
    areas=(),
    files=(),
    as_ministry: bool = False,
) -> Post:
    """Publish a post for the organization (or the ministry, or the author's municipality).

    ``as_ministry`` is the view's ``is_staff_session(request)``: without an organization, only a
    staff session posts in the ministry's name; anyone else posts for their municipality as its
    approved focal point, or not at all.
    """
    _count_against_rate_limit(
        user=by,
        action="posts",
        limit=settings.WORKSPACE_POSTS_PER_HOUR,
        message=_("You have posted a lot in the last hour. Try again later."),
    )
    with transaction.atomic(durable=True):
        post = Post(organization=organization, author=by)
        for field in POST_FIELDS:
            if field in data:
                setattr(post, field, data[field])
        if organization is None and not as_ministry:
            point = FocalPoint.objects.filter(user=by, status=FocalPoint.Status.APPROVED).first()
            if point is None:
                raise ValidationError(
                    {"organization": _("Choose the organization this post is for.")},
                    code="no_organization",
                )
            post.municipality = point.municipality
        post.stage = _first_stage(post.kind)
        if post.results:
            post.results_published_at = timezone.now()
        post.full_clean()
        post.save()
        post.areas.set(areas)
        StageChange.objects.create(post=post, stage=post.stage, changed_by=by)
        for upload in files:
            _add_attachment(post=post, upload=upload, by=by)
    return post


def update_post(*, post: Post, by, data: dict, areas=(), files=()) -> Post:
    """Save the author's changes to the post."""
    with transaction.atomic(durable=True):
        post = Post.objects.select_for_update().get(pk=post.pk)
        had_results = bool(post.results)
        for field in POST_FIELDS:
            if field in data and field != "kind":
                setattr(post, field, data[field])
        if post.results and not had_results:
            post.results_published_at = timezone.now()
        elif not post.results:
            post.results_published_at = None
        post.full_clean()
        post.save()
        post.areas.set(areas)
        if post.attachments.count() + len(files) > settings.WORKSPACE_MAX_ATTACHMENTS:
            raise ValidationError(
                _("A post holds at most %(count)s files."),
                code="too_many_files",
                params={"count": settings.WORKSPACE_MAX_ATTACHMENTS},
            )
        for upload in files:
            _add_attachment(post=post, upload=upload, by=by)
    return post


def _add_attachment(*, post: Post, upload, by) -> Attachment:
    attachment = Attachment(
        post=post,
        token=secrets.token_hex(16),
        extension=upload.checked_extension,
        name=Path(upload.name).name[:200],
        content_type=upload.checked_content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(f"{attachment.token}{attachment.extension}", upload, save=False)
    attachment.save()
    return attachment


def remove_attachment(*, attachment: Attachment, by) -> None:
    """Delete the file from the post and from the disk."""
    with transaction.atomic(durable=True):
        name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- Moderation: pin, hide, close -------------------------------------------------------------


def _log(post: Post, action: str, by, reason: str = "") -> ModerationEntry:
    return ModerationEntry.objects.create(post=post, action=action, by=by, reason=reason)


def _moderate(
    *, post: Post, by, action: str, reason: str = "", change, durable: bool = True
) -> Post:
    with transaction.atomic(durable=durable):
        post = Post.objects.select_for_update().get(pk=post.pk)
        fields = change(post)
        if fields is None:
            raise ValidationError(_("The post is already in that state."), code="no_change")
        post.save(update_fields=[*fields, "updated_at"])
        _log(post, action, by, reason)
    return post


def pin_post(*, post: Post, by) -> Post:
    """Keep the post at the top of the board."""

    def change(post):
        if post.is_pinned:
            return None
        post.is_pinned = True
        return ["is_pinned"]

    return _moderate(post=post, by=by, action=ModerationEntry.Action.PIN, change=change)


def unpin_post(*, post: Post, by) -> Post:
    def change(post):
        if not post.is_pinned:
            return None
        post.is_pinned = False
        return ["is_pinned"]

    return _moderate(post=post, by=by, action=ModerationEntry.Action.UNPIN, change=change)


def hide_post(*, post: Post, by, reason: str) -> Post:
    """Take the post off the board; its author sees the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so the author can fix it.")}, code="required")

    def change(post):
        if post.status == Post.Status.HIDDEN:
            return None
        post.status = Post.Status.HIDDEN
        post.hidden_reason = reason
        return ["status", "hidden_reason"]

    with transaction.atomic(durable=True):
        post = _moderate(
            post=post,
            by=by,
            action=ModerationEntry.Action.HIDE,
            reason=reason,
            change=change,
            durable=False,
        )
        link = settings.SITE_URL + post.get_absolute_url()
        for email, language in _author_recipients(post):
            queue_email(
                to=email,
                template="workspace/emails/hidden",
                context={"post": post, "reason": reason, "link": link},
                language=language,
            )
    return post


def show_post(*, post: Post, by) -> Post:
    """Put a hidden post back on the board."""

    def change(post):
        if post.status == Post.Status.PUBLISHED:
            return None
        post.status = Post.Status.PUBLISHED
        post.hidden_reason = ""
        return ["status", "hidden_reason"]

    return _moderate(post=post, by=by, action=ModerationEntry.Action.SHOW, change=change)


def close_post(*, post: Post, by) -> Post:
    """Close the post: it stays readable, takes no more interest."""

    def change(post):
        if post.closed_at is not None:
            return None
        post.closed_at = timezone.now()
        return ["closed_at"]

    return _moderate(post=post, by=by, action=ModerationEntry.Action.CLOSE, change=change)


def reopen_post(*, post: Post, by) -> Post:
    def change(post):
        if post.closed_at is None:
            return None
        post.closed_at = None
        return ["closed_at"]

    return _moderate(post=post, by=by, action=ModerationEntry.Action.REOPEN, change=change)


# --- Stages: open → partner found → in progress → done ----------------------------------------


def change_stage(*, post: Post, by, stage: str, note: str = "", follow_up: str = "") -> Post:
    """Move the post to ``stage``, keeping the history; "done" may carry a public follow-up."""
    if stage not in Post.Stage.values:
        raise ValidationError({"stage": _("Choose a stage from the list.")}, code="invalid")
    with transaction.atomic(durable=True):
        post = Post.objects.select_for_update().get(pk=post.pk)
        if stage == post.stage and not follow_up:
            raise ValidationError({"stage": _("The post is already at this stage.")})
        post.stage = stage
        fields = ["stage", "updated_at"]
        if stage == Post.Stage.DONE:
            post.follow_up = follow_up.strip()
            fields.append("follow_up")
        post.full_clean()
        post.save(update_fields=fields)
        if stage != StageChange.objects.filter(post=post).values_list("stage", flat=True).last():
            StageChange.objects.create(post=post, stage=stage, note=note.strip(), changed_by=by)
    return post


# --- Cooperation ------------------------------------------------------------------------------


def express_interest(*, post: Post, organization: Organization, by, message: str) -> Interest:
    """Tell the post's authors that the organization wants to take part; e-mail its admins."""
    _count_against_rate_limit(
        user=by,
        action="interests",
        limit=settings.WORKSPACE_INTERESTS_PER_HOUR,
        message=_("You have sent many expressions of interest in the last hour. Try again later."),
    )
    with transaction.atomic(durable=True):
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("organization", "author")
            .get(pk=post.pk)
        )
        if not post.takes_partners:
            raise ValidationError(_("This post does not look for partners."), code="no_partners")
        if not post.is_open or post.status != Post.Status.PUBLISHED:
            raise ValidationError(_("This post is closed."), code="closed")
        if organization.pk == post.organization_id:
            raise ValidationError(_("This is your own organization's post."), code="own_post")
        if Interest.objects.filter(post=post, organization=organization).exists():
            raise ValidationError(
                {"message": _("Your organization has already said it wants to take part.")},
                code="duplicate",
            )
        interest = Interest(
            post=post, organization=organization, sent_by=by, message=message.strip()
        )
        interest.full_clean()
        interest.save()
        recipients = _author_recipients(post)
        link = settings.SITE_URL + post.get_absolute_url()
        for email, language in recipients:
            queue_email(
                to=email,
                template="workspace/emails/interest",
                context={"post": post, "interest": interest, "link": link},
                language=language,
            )
    return interest


def _answer_interest(*, interest: Interest, by, status: str) -> Interest:
    with transaction.atomic(durable=True):
        interest = (
            Interest.objects.select_for_update(of=("self",))
            .select_related("post", "organization")
            .get(pk=interest.pk)
        )
        if interest.status == status:
            raise ValidationError(_("The answer is already recorded."), code="no_change")
        interest.status = status
        interest.decided_at = timezone.now()
        interest.decided_by = by
        interest.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        if status == Interest.Status.ACCEPTED:
            post = Post.objects.select_for_update().get(pk=interest.post_id)
            if post.stage in (Post.Stage.IDEA, Post.Stage.OPEN):
                # The first partner moves the project on, in its history too.
                post.stage = Post.Stage.PARTNER_FOUND
                post.save(update_fields=["stage", "updated_at"])
                StageChange.objects.create(post=post, stage=post.stage, changed_by=by)
            link = settings.SITE_URL + interest.post.get_absolute_url()
            for email, language in _admin_emails(interest.organization):
                queue_email(
                    to=email,
                    template="workspace/emails/accepted",
                    context={"post": interest.post, "interest": interest, "link": link},
                    language=language,
                )
    return interest


def accept_interest(*, interest: Interest, by) -> Interest:
    """Accept the organization as a partner of the post and tell its admins."""
    return _answer_interest(interest=interest, by=by, status=Interest.Status.ACCEPTED)


def decline_interest(*, interest: Interest, by) -> Interest:
    return _answer_interest(interest=interest, by=by, status=Interest.Status.DECLINED)


# --- Homeland focal points --------------------------------------------------------------------


def apply_as_focal_point(*, user, municipality: str, position: str, message: str) -> FocalPoint:
    """Ask the ministry to approve the user as the municipality's diaspora focal point."""
    with transaction.atomic(durable=True):
        point = FocalPoint.objects.select_for_update().filter(user=user).first()
        if point is not None and point.status != FocalPoint.Status.REJECTED:
            raise ValidationError(_("You have already applied."), code="duplicate")
        point = point or FocalPoint(user=user)
        point.municipality = municipality.strip()
        point.position = position.strip()
        point.message = message.strip()
        point.status = FocalPoint.Status.PENDING
        point.decision_reason = ""
        point.full_clean()
        point.save()
    return point


def _decide_focal_point(*, point: FocalPoint, by, status: str, reason: str = "") -> FocalPoint:
    with transaction.atomic(durable=True):
        point = (
            FocalPoint.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=point.pk)
        )
        if point.status != FocalPoint.Status.PENDING:
            raise ValidationError(_("This application has already been decided."))
        point.status = status
        point.decision_reason = reason.strip()
        point.decided_at = timezone.now()
        point.decided_by = by
        point.save(
            update_fields=["status", "decision_reason", "decided_at", "decided_by", "updated_at"]
        )
        queue_email(
            to=point.user.email,
            template="workspace/emails/focal_point_decided",
            context={"point": point, "link": settings.SITE_URL + "/workspace/"},
            language=point.user.language,
        )
    return point


def approve_focal_point(*, point: FocalPoint, by) -> FocalPoint:
    """Let the applicant post calls from the homeland, and tell them."""
    return _decide_focal_point(point=point, by=by, status=FocalPoint.Status.APPROVED)


def reject_focal_point(*, point: FocalPoint, by, reason: str) -> FocalPoint:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the applicant knows.")}, code="required")
    return _decide_focal_point(point=point, by=by, status=FocalPoint.Status.REJECTED, reason=reason)


# --- The project pipeline as CSV --------------------------------------------------------------

PIPELINE_COLUMNS = [
    _("Title"),
    _("Kind"),
    _("Stage"),
    _("By"),
    _("Country"),
    _("City"),
    _("Partners"),
    _("Waiting for an answer"),
    _("Deadline"),
    _("Published at"),
    _("Closed"),
    _("Link"),
]


def write_pipeline_csv(posts, out) -> None:
    """Write the project pipeline (with partners) as CSV with a BOM to a file-like ``out``."""
    write_csv(out, PIPELINE_COLUMNS, (_pipeline_row(post) for post in posts))


def _pipeline_row(post: Post) -> list:
    partners = [i.organization.name for i in post.interests.all() if i.status == "accepted"]
    waiting = [i for i in post.interests.all() if i.status == "pending"]
    return [
        post.title,
        post.get_kind_display(),
        post.get_stage_display(),
        post.byline,
        post.country.name if post.country else "",
        post.city,
        "; ".join(partners),
        len(waiting),
        post.deadline.isoformat() if post.deadline else "",
        timezone.localtime(post.published_at).strftime("%Y-%m-%d %H:%M"),
        _("yes") if post.closed_at else _("no"),
        f"{settings.SITE_URL}{post.get_absolute_url()}",
    ]
