"""Error answers of the read-only API, as its OpenAPI schema documents them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import serializers

NOT_FOUND = OpenApiResponse(
    response=inline_serializer("NotFound", {"detail": serializers.CharField()}),
    description="No such object, or no such page of results.",
)
INVALID_FILTER = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="A filter parameter is not valid: its messages, by parameter name.",
)


@extend_schema_field({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(serializers.URLField):
    """A link that may be empty: the schema says "a URI or the empty string"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
