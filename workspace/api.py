"""The read-only JSON API of public posts: no hidden or members-only post, and never more than
the post's page shows the same visitor (contact details only for members, as on the page)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from accounts.roles import is_staff_session
from core.api_schema import INVALID_FILTER, NOT_FOUND
from core.markdown import render_markdown
from organizations.api import AreaSerializer

from . import access, queries
from .filters import PostFilter
from .models import Interest, Post


class PostOrganizationSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class PartnerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)
    slug = serializers.CharField(source="organization.slug", read_only=True)

    class Meta:
        model = Interest
        fields = ["name", "slug"]


class PostContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class PostSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True, help_text="ISO 3166-1")
    country_name = serializers.CharField(source="country.name", read_only=True)
    organization = PostOrganizationSerializer(read_only=True, allow_null=True)
    byline = serializers.CharField(read_only=True, help_text="Who the post speaks for.")
    body = serializers.CharField(read_only=True, help_text="Markdown, as written.")
    body_html = serializers.SerializerMethodField(help_text="The text as sanitized HTML.")
    eligibility_html = serializers.SerializerMethodField()
    how_to_apply_html = serializers.SerializerMethodField()
    results_html = serializers.SerializerMethodField()
    areas = AreaSerializer(many=True, read_only=True)
    partners = PartnerSerializer(many=True, read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    language = serializers.CharField(read_only=True, help_text="ISO 639-1 code, e.g. bs, de.")
    url = serializers.SerializerMethodField()
    follow_up = serializers.SerializerMethodField(help_text="Empty until the work is done.")
    contact = serializers.SerializerMethodField(
        help_text="Null unless the visitor may see the post page's contact details (a member "
        "of an approved organization, signed in)."
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "kind",
            "title",
            "organization",
            "municipality",
            "byline",
            "body",
            "body_html",
            "country",
            "country_name",
            "city",
            "areas",
            "deadline",
            "language",
            "seeking",
            "eligibility_html",
            "how_to_apply_html",
            "results_html",
            "stage",
            "follow_up",
            "partners",
            "is_pinned",
            "is_open",
            "closed_at",
            "published_at",
            "updated_at",
            "url",
            "contact",
        ]
        read_only_fields = fields

    def get_follow_up(self, post) -> str:
        return access.shown_follow_up(post)

    @extend_schema_field(PostContactSerializer(allow_null=True))
    def get_contact(self, post):
        # The page's rule for the same visitor: the API never shows more than the page.
        request = self.context.get("request")
        if request is None:
            return None
        staff = is_staff_session(request)
        return access.post_contact(request.user, post, staff=staff)

    def get_body_html(self, post) -> str:
        return str(render_markdown(post.body))

    def get_eligibility_html(self, post) -> str:
        return str(render_markdown(post.eligibility))

    def get_how_to_apply_html(self, post) -> str:
        return str(render_markdown(post.how_to_apply))

    def get_results_html(self, post) -> str:
        return str(render_markdown(post.results))

    def get_url(self, post) -> str:
        request = self.context.get("request")
        url = post.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


@extend_schema_view(
    list=extend_schema(
        summary="List public posts of the workspace noticeboard",
        description="Filter with q (accent-insensitive search), kind, area, country, state.",
        responses={200: PostSerializer, 400: INVALID_FILTER, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One public post, by its id", responses={200: PostSerializer, 404: NOT_FOUND}
    ),
)
class PostViewSet(viewsets.ReadOnlyModelViewSet):
    """Public posts of the noticeboard; contact details as the post's page shows them."""

    serializer_class = PostSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    filter_backends = [DjangoFilterBackend]
    filterset_class = PostFilter

    def get_queryset(self):
        return queries.api_posts()
