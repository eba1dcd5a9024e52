from django.conf import settings
from django.forms import BaseForm


class InvalidFormStatusMiddleware:
    """Answer 422 when a POST re-renders a form with errors.

    The portal's own views set the status themselves; this covers template-response views from
    libraries (allauth), which re-render invalid forms with 200.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if request.method == "POST" and response.status_code == 200:
            context = response.context_data or {}
            if any(isinstance(v, BaseForm) and v.errors for v in context.values()):
                response.status_code = 422
        return response


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header: no camera, microphone, location and the like.

    Only WebAuthn (security keys for two-factor login) stays allowed, for this origin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
