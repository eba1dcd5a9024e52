"""The read-only JSON API under /api/: each app registers its viewsets on the one router."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from institutions.api import InstitutionViewSet
from meetings.api import MeetingViewSet
from organizations.api import OrganizationViewSet
from workspace.api import PostViewSet

from . import api_docs

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("posts", PostViewSet, basename="post")
router.register("institutions", InstitutionViewSet, basename="institution")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs.docs, name="docs"),
]
