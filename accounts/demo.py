"""Demo accounts for the embedded default and for trying the portal out."""

from allauth.account.models import EmailAddress

from .models import User
from .services import make_ministry_staff

DEMO_STAFF_EMAIL = "staff@diaspora-portal.example"


def ensure_demo_staff(*, password: str) -> bool:
    """Make sure the demo staff user exists with a verified e-mail; return whether it was new."""
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
