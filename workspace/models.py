from pathlib import Path

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core import search
from organizations.models import ORGANIZATION_LANGUAGES, Area, Organization


class FocalPoint(models.Model):
    """A BiH municipality's diaspora focal point, approved by staff to post homeland calls."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="focal_point",
    )
    municipality = models.CharField(_("municipality"), max_length=200)
    position = models.CharField(
        _("position in the municipality"),
        max_length=200,
        blank=True,
        help_text=_("E.g. diaspora officer in the mayor's office."),
    )
    message = models.TextField(
        _("message to the ministry"),
        max_length=2000,
        blank=True,
        help_text=_("How the ministry can confirm that you speak for the municipality."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("homeland focal point")
        verbose_name_plural = _("homeland focal points")
        ordering = ["municipality", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]),
                name="focal_point_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} · {self.user}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Post(search.Searchable, models.Model):
    """A notice on the workspace noticeboard, written for an organization, the ministry or a
    homeland municipality."""

    class Kind(models.TextChoices):
        PROJECT_IDEA = "project_idea", _("Project idea")
        CALL_FOR_PARTNERS = "call_for_partners", _("Call for partners")
        EVENT = "event", _("Event")
        NEWS = "news", _("News")
        REQUEST_FOR_HELP = "request_for_help", _("Request for help")
        HOMELAND_CALL = "homeland_call", _("Call from the homeland")
        GRANT_CALL = "grant_call", _("Call for grants or awards")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by the moderators")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone, also visitors without an account")
        MEMBERS = "members", _("Only members of approved organizations and ministry staff")

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        OPEN = "open", _("Looking for partners")
        PARTNER_FOUND = "partner_found", _("Partner found")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class Seeking(models.TextChoices):
        NONE = "", _("Not stated")
        PARTNERS = "partners", _("Diaspora partners")
        INVESTORS = "investors", _("Investors")
        VOLUNTEERS = "volunteers", _("Volunteers")

    # Kinds other organizations can join ("we want to take part").
    COOPERATION_KINDS = (Kind.PROJECT_IDEA, Kind.CALL_FOR_PARTNERS, Kind.HOMELAND_CALL)
    # Kinds only an approved focal point (or staff) posts.
    HOMELAND_KINDS = (Kind.HOMELAND_CALL, Kind.GRANT_CALL)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="posts",
        null=True,
        blank=True,
        help_text=_("Empty for posts by the ministry or by a homeland municipality."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        related_name="workspace_posts",
        null=True,
        blank=True,
    )
    # The municipality a homeland call comes from, copied from the focal point when posted.
    municipality = models.CharField(_("municipality"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        max_length=20000,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    areas = models.ManyToManyField(
        Area, verbose_name=_("areas of activity"), related_name="posts", blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=ORGANIZATION_LANGUAGES, default="bs"
    )
    seeking = models.CharField(
        _("looking for"), max_length=20, choices=Seeking.choices, blank=True, default=""
    )
    # Contact details: shown only to people logged in, never on public pages or in the API.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact phone number"), max_length=40, blank=True)
    # Calls for grants or awards.
    eligibility = models.TextField(
        _("who may apply"),
        max_length=5000,
        blank=True,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    how_to_apply = models.TextField(
        _("how to apply"),
        max_length=5000,
        blank=True,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    results = models.TextField(
        _("results"),
        max_length=10000,
        blank=True,
        help_text=_("The published list of grants or awards. Markdown."),
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    # Cooperation: where a project or call stands; every change is kept in StageChange.
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.OPEN)
    follow_up = models.TextField(
        _("follow-up"),
        max_length=2000,
        blank=True,
        help_text=_("A short public note on what came of it, once done."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    visibility = models.CharField(
        _("who sees it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    hidden_reason = models.TextField(
        _("reason for hiding"),
        max_length=2000,
        blank=True,
        help_text=_("Shown to the author."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    # Kept current by save() (core.search.Searchable): every folded spelling of the title,
    # place and text.
    search_document = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_document", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-is_pinned", "-published_at", "-pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="post_search_idx"),
            models.Index(
                fields=["status", "is_pinned", "published_at"], name="post_board_order_idx"
            ),
            models.Index(fields=["kind", "stage"], name="post_kind_stage_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "project_idea",
                        "call_for_partners",
                        "event",
                        "news",
                        "request_for_help",
                        "homeland_call",
                        "grant_call",
                    ]
                ),
                name="post_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["published", "hidden"]), name="post_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "members"]),
                name="post_visibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    stage__in=["idea", "open", "partner_found", "in_progress", "done"]
                ),
                name="post_stage_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workspace:detail", kwargs={"pk": self.pk})

    def search_texts(self) -> tuple[str, ...]:
        return (self.title, self.city, self.municipality, self.body)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.visibility == self.Visibility.PUBLIC

    @property
    def is_homeland(self) -> bool:
        return self.kind in self.HOMELAND_KINDS

    @property
    def takes_partners(self) -> bool:
        return self.kind in self.COOPERATION_KINDS

    @property
    def byline(self) -> str:
        """Who the post speaks for: the organization, the municipality or the ministry."""
        if self.organization_id:
            return self.organization.name
        if self.municipality:
            return self.municipality
        return str(_("Ministry for Human Rights and Refugees"))


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private/, read at each use: /media/ refuses it, the post's view serves it."""

    @property
    def base_location(self):
        return Path(settings.MEDIA_ROOT) / "private"

    @property
    def location(self):
        return str(self.base_location.resolve())

    @property
    def base_url(self):
        return None


def private_files() -> FileSystemStorage:
    return PrivateStorage()


def attachment_path(instance, filename: str) -> str:
    # The stored name never comes from the upload: only the checked extension does.
    return f"workspace/{timezone.now():%Y}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    """A file attached to a post; its type was checked by its content when uploaded."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_files, max_length=200
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["post", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workspace:attachment", kwargs={"pk": self.post_id, "token": self.token})


class Interest(models.Model):
    """An organization's "we want to take part" on a project idea or call; accepted = partner."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted as partner")
        DECLINED = "declined", _("Declined")

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="interests"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="post_interests",
    )
    message = models.TextField(_("message"), max_length=1000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workspace_interests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["post", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "organization"], name="interest_once_per_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "declined"]),
                name="interest_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organization} → {self.post}"


class StageChange(models.Model):
    """One step in a post's stage history (open → partner found → in progress → done)."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Post.Stage.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["post", "created_at", "pk"]

    def __str__(self):
        return f"{self.post} · {self.get_stage_display()}"


class ModerationEntry(models.Model):
    """A staff decision on a post (pin, hide, show, close, reopen), kept as a log."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        HIDE = "hide", _("Hidden")
        SHOW = "show", _("Shown again")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="moderation_log"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("moderation entry")
        verbose_name_plural = _("moderation log")
        ordering = ["post", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.post} · {self.get_action_display()}"


class ExpertInvitation(models.Model):
    """Staff invited an expert on the roster to a homeland call; once per expert and call."""

    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="call_invitations",
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("homeland call"),
        on_delete=models.CASCADE,
        related_name="expert_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert's invitation to a homeland call")
        verbose_name_plural = _("experts' invitations to homeland calls")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "post"], name="expert_invitation_once_per_call"
            ),
        ]

    def __str__(self):
        return f"{self.expert_id} · {self.post_id}"


# The models of the community channels and the weekly digest live with their features; importing
# them here registers them with the workspace app (Django loads each app's models module).
from .channels.models import Channel  # noqa: E402
from .digest.models import DigestIssue, DigestPreference  # noqa: E402

__all__ = [
    "Attachment",
    "Channel",
    "DigestIssue",
    "DigestPreference",
    "ExpertInvitation",
    "FocalPoint",
    "Interest",
    "ModerationEntry",
    "Post",
    "StageChange",
]
