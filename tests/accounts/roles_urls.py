"""Views outside the staff paths, guarded only by their own use of accounts.roles."""

from django.http import HttpResponse
from django.urls import path
from django.views import View
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import StaffRequiredMixin, StaffWithMFAPermission, staff_required
from diaspora_portal.urls import urlpatterns as portal_urlpatterns


@staff_required
def decorated(request):
    return HttpResponse("inside")


class MixedIn(StaffRequiredMixin, View):
    def get(self, request):
        return HttpResponse("inside")


class Api(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [StaffWithMFAPermission]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"inside": True})


urlpatterns = [
    *portal_urlpatterns,
    path("elsewhere/decorated/", decorated),
    path("elsewhere/mixin/", MixedIn.as_view()),
    path("elsewhere/api/", Api.as_view()),
]
