from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_ministry_staff

register = template.Library()

# The main navigation, in order. An entry shows once its URL exists, so each app's issue only
# has to add its URLs; "staff" entries show to ministry staff only.
NAVIGATION = [
    ("home", _("Home"), False),
    ("organizations:directory", _("Organizations"), False),
    ("meetings:index", _("Meetings"), False),
    ("workspace:index", _("Workspace"), False),
    ("onboarding:start", _("Join"), False),
    ("staff_dashboard", _("Staff area"), True),
]


def _resolvable(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def main_navigation(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    items = []
    for name, label, staff_only in NAVIGATION:
        if staff_only and not (user is not None and is_ministry_staff(user)):
            continue
        url = _resolvable(name)
        if url is None:
            continue
        current = request is not None and (
            request.path == url or (url != "/" and request.path.startswith(url))
        )
        items.append({"url": url, "label": label, "current": current})
    return items
