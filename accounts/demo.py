"""Demo accounts for the embedded default and for trying the portal out."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import User
from .services import make_ministry_staff

DEMO_STAFF_EMAIL = "staff@diaspora-portal.example"
# Published in the README: only ever valid in debug.
DEMO_STAFF_PASSWORD = "dijaspora-demo-2026"  # noqa: S105 - public on purpose, debug only


def ensure_demo_staff(*, password: str) -> bool:
    """Make sure the demo staff user exists with a verified e-mail; return whether it was new.

    Outside debug the published demo password is refused: a staff account with a known
    password must never exist on a production database.
    """
    if not settings.DEBUG and password == DEMO_STAFF_PASSWORD:
        raise ImproperlyConfigured(
            "The demo staff account with the published password exists only with DJANGO_DEBUG=1."
        )
    user, created = User.objects.get_or_create(
        email=DEMO_STAFF_EMAIL,
        defaults={"full_name": "Amra Demo", "language": "bs"},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    make_ministry_staff(user=user)
    EmailAddress.objects.update_or_create(
        user=user, email=DEMO_STAFF_EMAIL, defaults={"verified": True, "primary": True}
    )
    return created
