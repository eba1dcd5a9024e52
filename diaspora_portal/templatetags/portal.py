from django import template
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.roles import leads_to_staff_area
from core import languages

register = template.Library()

# The main navigation, in order: (URL name, label, ministry staff only). Every name must resolve:
# an app adds its section here, one line, together with the page it links to.
NAVIGATION = [
    ("home", _("Home"), False),
    ("organizations:directory", _("Organizations"), False),
    ("meetings:index", _("Meetings"), False),
    ("workspace:board", _("Workspace"), False),
    ("onboarding:start", _("Join"), False),
    ("staff_dashboard", _("Staff area"), True),
]


def _reverse(name):
    try:
        return reverse(name)
    except NoReverseMatch as error:
        raise ImproperlyConfigured(
            f"The main navigation names the URL {name!r}, which does not exist "
            "(diaspora_portal/templatetags/portal.py NAVIGATION)."
        ) from error


@register.simple_tag(takes_context=True)
def main_navigation(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    items = []
    for name, label, staff_only in NAVIGATION:
        url = _reverse(name)
        # A signpost: staff without the second factor are led to the gate that asks for it.
        if staff_only and not (user is not None and leads_to_staff_area(request)):
            continue
        current = request is not None and (
            request.path == url or (url != "/" and request.path.startswith(url))
        )
        items.append({"url": url, "label": label, "current": current})
    return items


@register.filter
def language_label(code):
    """The name of an interface language in the reader's language: {{ "hr"|language_label }}."""
    return dict(settings.LANGUAGES).get(code, code)


def _reads_cyrillic(request) -> bool:
    """Whether the reader uses Cyrillic and asked for Latin user content in Cyrillic."""
    return (
        request is not None
        and translation.get_language() in languages.CYRILLIC_LANGUAGES
        and request.GET.get("script") == "cyrillic"
    )


@register.simple_tag(takes_context=True)
def in_reader_script(context, text, language):
    """User content as the reader asked: ``{% in_reader_script post.body|markdown post.language %}``
    shows a South Slavic text written in Latin letters in Cyrillic when a Cyrillic reader chose
    so (``?script=cyrillic``); nothing is stored twice."""
    text = "" if text is None else text
    shown = languages.in_script(
        str(text), language=language, cyrillic=_reads_cyrillic(context.get("request"))
    )
    return mark_safe(shown) if isinstance(text, SafeData) else shown  # noqa: S308 (letters only)


@register.inclusion_tag("includes/script_switch.html", takes_context=True)
def script_switch(context):
    """For Cyrillic readers: a link showing the page's Latin user content in Cyrillic, or back."""
    request = context.get("request")
    if request is None or translation.get_language() not in languages.CYRILLIC_LANGUAGES:
        return {"show": False}
    query = request.GET.copy()
    cyrillic = _reads_cyrillic(request)
    if cyrillic:
        query.pop("script", None)
    else:
        query["script"] = "cyrillic"
    encoded = query.urlencode()
    return {
        "show": True,
        "cyrillic": cyrillic,
        "url": request.path + (f"?{encoded}" if encoded else ""),
    }
