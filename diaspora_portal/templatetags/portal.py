from django import template
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import leads_to_staff_area

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
