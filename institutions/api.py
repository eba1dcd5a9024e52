"""The read-only JSON API of BiH institutions abroad: shown institutions, all their fields public
(they are offices, not people)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from core.api_schema import INVALID_FILTER, NOT_FOUND, OptionalURLField
from core.markdown import render_markdown

from . import queries
from .filters import InstitutionFilter
from .models import Institution


class InstitutionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True, help_text="ISO 3166-1")
    country_name = serializers.CharField(source="country.name", read_only=True)
    phone = serializers.CharField(read_only=True)
    website = OptionalURLField(read_only=True)
    covered_countries = serializers.SerializerMethodField(
        help_text="ISO 3166-1 codes of the countries whose diaspora the institution serves."
    )
    opening_notes = serializers.CharField(read_only=True, help_text="Markdown, as written.")
    opening_notes_html = serializers.SerializerMethodField(
        help_text="The opening notes as sanitized HTML."
    )
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = [
            "key",
            "name",
            "local_name",
            "kind",
            "country",
            "country_name",
            "city",
            "address",
            "phone",
            "email",
            "website",
            "covered_countries",
            "opening_notes",
            "opening_notes_html",
            "updated_at",
            "page_url",
        ]
        read_only_fields = fields

    def get_covered_countries(self, institution) -> list[str]:
        return [country.code for country in institution.covered_countries]

    def get_opening_notes_html(self, institution) -> str:
        return str(render_markdown(institution.opening_notes))

    def get_page_url(self, institution) -> str:
        request = self.context.get("request")
        url = institution.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


@extend_schema_view(
    list=extend_schema(
        summary="List BiH institutions abroad",
        description=(
            "Embassies, consulates and other BiH institutions that work with the diaspora. "
            "Filter with country (ISO code of a country covered) and kind."
        ),
        responses={200: InstitutionSerializer, 400: INVALID_FILTER, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One BiH institution abroad, by its key",
        responses={200: InstitutionSerializer, 404: NOT_FOUND},
    ),
)
class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """BiH institutions abroad that staff marked as shown."""

    serializer_class = InstitutionSerializer
    lookup_field = "key"
    # Only slug characters reach the database (a NUL byte there would be a 500).
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = InstitutionFilter

    def get_queryset(self):
        return queries.public_institutions().order_by("country", "city", "name", "pk")
