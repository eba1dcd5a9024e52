from django.conf import settings

from core import languages


def portal(request):
    """Values every page template uses: the site URL and the language choices."""
    return {
        "SITE_URL": settings.SITE_URL,
        "PORTAL_LANGUAGES": languages.switcher(settings.LANGUAGES),
    }
