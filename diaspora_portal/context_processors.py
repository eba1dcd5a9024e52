from django.conf import settings


def portal(request):
    """Values every page template uses: the site URL and the language choices."""
    return {"SITE_URL": settings.SITE_URL, "PORTAL_LANGUAGES": settings.LANGUAGES}
