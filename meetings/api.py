"""The read-only JSON API of public meetings: upcoming ones and those with published minutes."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from core.api_schema import NOT_FOUND, OptionalURLField
from core.markdown import render_markdown

from . import ics, queries
from .models import ActionItem, AgendaItem, Meeting


class AgendaItemSerializer(serializers.ModelSerializer):
    presenter = serializers.SerializerMethodField(help_text="Slug of the presenting organization.")

    class Meta:
        model = AgendaItem
        fields = ["position", "title", "description", "duration_minutes", "presenter"]

    def get_presenter(self, item) -> str | None:
        presenter = item.presenter
        return presenter.slug if presenter and presenter.is_listed else None


class ActionItemSerializer(serializers.ModelSerializer):
    responsible = serializers.SerializerMethodField(
        help_text=(
            "Slug of the responsible organization when it is listed in the directory; null when "
            "the ministry is responsible or the organization is not listed."
        )
    )

    class Meta:
        model = ActionItem
        fields = ["text", "responsible", "due_on", "status"]

    def get_responsible(self, item) -> str | None:
        responsible = item.responsible
        return responsible.slug if responsible and responsible.is_listed else None


class SummarySerializer(serializers.Serializer):
    language = serializers.CharField()
    text = serializers.CharField(help_text="Markdown, as written.")
    html = serializers.CharField(help_text="The summary as sanitized HTML.")


class MinutesSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField()
    recording_url = OptionalURLField()
    original_language = serializers.CharField()
    summaries = SummarySerializer(many=True)
    decisions = serializers.ListField(child=serializers.CharField())
    action_items = ActionItemSerializer(many=True)


class MeetingSerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.name", allow_null=True, read_only=True)
    host_country = serializers.CharField(source="host_country.code", read_only=True)
    description_html = serializers.SerializerMethodField()
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    minutes = serializers.SerializerMethodField(help_text="Null until the minutes are published.")
    stream_url = OptionalURLField(read_only=True)
    url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "series",
            "number",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "time_zone",
            "scope",
            "host_country",
            "description",
            "description_html",
            "stream_url",
            "agenda",
            "minutes",
            "url",
            "calendar_url",
            "updated_at",
        ]
        read_only_fields = fields

    def get_description_html(self, meeting) -> str:
        return str(render_markdown(meeting.description))

    def get_url(self, meeting) -> str:
        return ics.meeting_url(meeting)

    def get_calendar_url(self, meeting) -> str:
        return f"{settings.SITE_URL}/meetings/{meeting.slug}/calendar.ics"

    @extend_schema_field(MinutesSerializer(allow_null=True))
    def get_minutes(self, meeting):
        minutes = getattr(meeting, "minutes", None)
        if minutes is None or not minutes.is_published:
            return None
        return {
            "published_at": minutes.published_at,
            "recording_url": meeting.recording_url,
            "original_language": minutes.language,
            "summaries": [
                {"language": s.language, "text": s.text, "html": str(render_markdown(s.text))}
                for s in minutes.summaries.all()
                if s.text
            ],
            "decisions": [decision.text for decision in minutes.decisions.all()],
            "action_items": ActionItemSerializer(meeting.action_items.all(), many=True).data,
        }


@extend_schema_view(
    list=extend_schema(
        summary="List public meetings",
        description="Upcoming meetings and those with published minutes, latest first.",
        responses={200: MeetingSerializer, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One public meeting, by its slug",
        responses={200: MeetingSerializer, 404: NOT_FOUND},
    ),
)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Upcoming public meetings and published summaries; never staff notes or attendance."""

    serializer_class = MeetingSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return queries.api_meetings()
