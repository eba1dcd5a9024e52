import secrets

from django import template
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
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


# The navigation's addresses, reversed once per process, script prefix and URL conf (the URL
# configuration does not change while a process runs; no pattern depends on the language).
_URLS: dict[tuple, str] = {}


def _reverse(name):
    key = (name, get_script_prefix(), get_urlconf())
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = _reverse_afresh(name)
    return url


def _reverse_afresh(name):
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


# --- The site head, header and footer, rendered once per process for each kind of visitor --
#
# The base layout's header (word mark, language switch, navigation, account links) is the same
# for everyone with the same language, the same signed-in state and staff signpost, on pages of
# the same section; the footer and the <head> after the title depend on the language alone.
# Their templates, translations and URLs do not change while a process runs, so each
# combination is rendered once and kept here (a few dozen entries at most). The request's own
# values are put in afterwards, never kept: the CSRF token of the logout form and the address
# the language switch returns to.

_LAYOUT: dict[tuple, str] = {}
# Slots for the request's own values; random, so no template text can contain them by chance.
_CSRF_SLOT = "csrf-slot-" + secrets.token_hex(8)
_NEXT_SLOT = "next-slot-" + secrets.token_hex(8)
# Account pages the header marks as the current one.
_HEADER_PAGES = ("account_overview", "account_login")


def _forget_layout(**_kwargs) -> None:
    _LAYOUT.clear()
    _URLS.clear()


setting_changed.connect(_forget_layout, dispatch_uid="portal-layout")


@register.simple_tag(takes_context=True)
def site_header(context):
    """``includes/header.html`` for this request, from the per-process copy for its kind."""
    request = context["request"]
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", None)
    items = main_navigation(context)
    key = (
        "header",
        get_language(),
        signed_in,
        tuple((item["url"], item["current"]) for item in items),
        url_name if url_name in _HEADER_PAGES else None,
    )
    html = _LAYOUT.get(key)
    if html is None:
        html = render_to_string(
            "includes/header.html",
            {
                "signed_in": signed_in,
                "navigation": items,
                "header_page": key[-1],
                "csrf_token": _CSRF_SLOT,
                "next_path": _NEXT_SLOT,
                "PORTAL_LANGUAGES": languages.switcher(settings.LANGUAGES),
            },
        )
        _LAYOUT[key] = html
    if signed_in:
        html = html.replace(_CSRF_SLOT, get_token(request))
    return mark_safe(html.replace(_NEXT_SLOT, escape(request.get_full_path())))  # noqa: S308


@register.simple_tag(takes_context=True)
def site_head(context):
    """``includes/head.html`` (the <head> after the title) in the active language, rendered once
    per process; afresh whenever a page carries a CSP nonce for its scripts."""
    language = get_language()
    nonce = context.get("csp_nonce")
    if nonce:
        html = render_to_string(
            "includes/head.html", {"LANGUAGE_CODE": language, "csp_nonce": nonce}
        )
        return mark_safe(html.rstrip("\n"))  # noqa: S308
    key = ("head", language)
    html = _LAYOUT.get(key)
    if html is None:
        html = render_to_string("includes/head.html", {"LANGUAGE_CODE": language})
        html = _LAYOUT[key] = html.rstrip("\n")
    return mark_safe(html)  # noqa: S308


@register.simple_tag
def site_footer():
    """``includes/footer.html`` in the active language, rendered once per process."""
    key = ("footer", get_language())
    html = _LAYOUT.get(key)
    if html is None:
        html = _LAYOUT[key] = render_to_string("includes/footer.html")
    return mark_safe(html)  # noqa: S308


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
