"""The read-only JSON API of listed organizations: public fields only."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.api_schema import INVALID_FILTER, NOT_FOUND, OptionalURLField
from core.fragments import public_fragment
from core.markdown import render_markdown

from . import queries
from .filters import OrganizationFilter
from .models import Area, CommunicationChannel, ContactPerson, Organization


class AreaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the language of the request.")

    class Meta:
        model = Area
        fields = ["slug", "name", "names"]


class ChannelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommunicationChannel
        fields = ["kind", "value"]


class ContactSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone"]


class OrganizationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True, help_text="ISO 3166-1")
    country_name = serializers.CharField(source="country.name", read_only=True)
    public_phone = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, help_text="Markdown, as written.")
    description_html = serializers.SerializerMethodField(
        help_text="The description as sanitized HTML."
    )
    areas = AreaSerializer(many=True, read_only=True)
    channels = ChannelSerializer(
        source="public_channels", many=True, read_only=True, help_text="Public channels only."
    )
    contacts = ContactSerializer(
        source="public_contacts",
        many=True,
        read_only=True,
        help_text="Only the contact persons the organization made public.",
    )
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    dormant = serializers.BooleanField(source="is_dormant", read_only=True)
    website = OptionalURLField(read_only=True)
    profile_url = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "country_name",
            "city",
            "founding_year",
            "website",
            "public_email",
            "public_phone",
            "description",
            "description_html",
            "areas",
            "languages",
            "logo",
            "size",
            "channels",
            "contacts",
            "approved_at",
            "verified",
            "verified_at",
            "last_confirmed_at",
            "dormant",
            "dormant_since",
            "updated_at",
            "profile_url",
        ]
        read_only_fields = fields

    def get_description_html(self, organization) -> str:
        return str(render_markdown(organization.description))

    def get_profile_url(self, organization) -> str:
        request = self.context.get("request")
        url = organization.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


@extend_schema_view(
    list=extend_schema(
        summary="List approved organizations",
        description="Filter with q (accent-insensitive search), country (ISO code), city, area.",
        responses={200: OrganizationSerializer, 400: INVALID_FILTER, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One approved organization, by its slug",
        responses={200: OrganizationSerializer, 404: NOT_FOUND},
    ),
)
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Approved organizations of the registry, with their public data only."""

    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    # Only slug characters reach the database (a NUL byte there would be a 500).
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return queries.api_organizations()

    def list(self, request, *args, **kwargs):
        # A page is the same for every visitor (public fields only): kept under the public
        # generation, for the scheme and host its absolute links were built with.
        data = public_fragment(
            "api-organizations",
            [request.scheme, request.get_host(), request.get_full_path()],
            lambda: super(OrganizationViewSet, self).list(request, *args, **kwargs).data,
            request=request._request,
        )
        return Response(data)
