"""Reads the noticeboard, a post's page, the staff pipeline and the API share."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Left

from organizations.models import Area

from .models import Attachment, Interest, ModerationEntry, Post, StageChange

EXCERPT_SOURCE_LENGTH = 400
CARD_FIELDS = [
    "pk",
    "kind",
    "title",
    "organization__name",
    "organization__slug",
    "municipality",
    "country",
    "city",
    "deadline",
    "stage",
    "status",
    "visibility",
    "is_pinned",
    "closed_at",
    "published_at",
]
PIPELINE_KINDS = [Post.Kind.PROJECT_IDEA, Post.Kind.CALL_FOR_PARTNERS, Post.Kind.HOMELAND_CALL]


def _areas() -> Prefetch:
    return Prefetch("areas", queryset=Area.objects.only("slug", "names", "position"))


def board_cards(queryset: QuerySet[Post]) -> QuerySet[Post]:
    """The board's cards: pinned first, newest first, with areas and partner counts."""
    return (
        queryset.select_related("organization")
        .only(*CARD_FIELDS)
        .annotate(
            body_start=Left("body", EXCERPT_SOURCE_LENGTH),
            partner_count=Count("interests", filter=Q(interests__status="accepted")),
        )
        .prefetch_related(_areas())
        .order_by("-is_pinned", "-published_at", "-pk")
    )


def country_codes(queryset: QuerySet[Post]) -> list[str]:
    """The countries posts of ``queryset`` are about, for the country filter."""
    return list(
        queryset.exclude(country="").order_by().values_list("country", flat=True).distinct()
    )


def post_page(pk: int) -> Post | None:
    """The post with everything its page shows; the view decides who sees it."""
    return (
        Post.objects.select_related("organization", "author")
        .defer("search_document", "search_vector")
        .prefetch_related(
            _areas(),
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
            Prefetch(
                "interests",
                queryset=Interest.objects.select_related("organization", "sent_by").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("created_at", "pk")),
            Prefetch(
                "moderation_log",
                queryset=ModerationEntry.objects.select_related("by").order_by("-created_at"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def pipeline(stage: str | None = None) -> QuerySet[Post]:
    """Every project idea and call with its partners, for the ministry."""
    posts = (
        Post.objects.filter(kind__in=PIPELINE_KINDS)
        .select_related("organization")
        .defer("search_document", "search_vector", "body")
        .prefetch_related(
            Prefetch(
                "interests",
                queryset=Interest.objects.select_related("organization").order_by(
                    "organization__name"
                ),
            )
        )
        .order_by("-published_at", "-pk")
    )
    if stage:
        posts = posts.filter(stage=stage)
    return posts


def api_posts() -> QuerySet[Post]:
    """Public posts for the API, with areas and partners loaded up front."""
    return (
        Post.objects.filter(status=Post.Status.PUBLISHED, visibility=Post.Visibility.PUBLIC)
        .select_related("organization")
        .defer("search_document", "search_vector")
        .prefetch_related(
            _areas(),
            Prefetch(
                "interests",
                queryset=Interest.objects.filter(status=Interest.Status.ACCEPTED)
                .select_related("organization")
                .order_by("organization__name"),
                to_attr="partners",
            ),
        )
        .order_by("-is_pinned", "-published_at", "-pk")
    )
