import os

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, ensure_demo_staff
from experts.demo import ensure_demo_experts
from institutions.demo import ensure_demo_institutions
from meetings.demo import ensure_demo_meetings
from onboarding.demo import ensure_demo_guides
from organizations.demo import (
    DEMO_ORG_ADMIN_EMAIL,
    DEMO_ORG_ADMIN_PASSWORD,
    ensure_demo_organizations,
)
from workspace.channels.demo import ensure_demo_channels
from workspace.demo import DEMO_FOCAL_POINT_EMAIL, DEMO_FOCAL_POINT_PASSWORD, ensure_demo_posts


class Command(BaseCommand):
    help = (
        "Create or update the demo data (idempotent): a ministry staff user, organizations "
        "and the Diaspora Online Check-In meetings. "
        "Outside debug it needs DEMO_STAFF_PASSWORD (not the published demo password)."
    )

    def handle(self, *args, **options):
        chosen = os.environ.get("DEMO_STAFF_PASSWORD", "")
        if settings.DEBUG:
            password = chosen or DEMO_STAFF_PASSWORD
        else:
            # Outside debug: no account with a known password, and no password in the output.
            if not chosen or chosen == DEMO_STAFF_PASSWORD:
                raise CommandError(
                    "seed_demo outside debug (DJANGO_DEBUG=0) needs DEMO_STAFF_PASSWORD set to "
                    "a strong password of your own; the published demo password only works "
                    "in debug."
                )
            try:
                validate_password(chosen)
            except ValidationError as error:
                raise CommandError(f"DEMO_STAFF_PASSWORD: {' '.join(error.messages)}") from error
            password = chosen
        with transaction.atomic():
            created = ensure_demo_staff(password=password)
            ensure_demo_organizations()
            ensure_demo_meetings()
            ensure_demo_guides()
            ensure_demo_posts()
            ensure_demo_channels()
            ensure_demo_experts()
            ensure_demo_institutions()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"  Demo staff login: {DEMO_STAFF_EMAIL}")
        if not settings.DEBUG:
            self.stdout.write("  Password: the one in DEMO_STAFF_PASSWORD.")
        elif created:
            self.stdout.write(f"  Password: {password}")
        else:
            self.stdout.write(f"  Password: {password} (unless it was changed since)")
        self.stdout.write(
            "  The staff area asks staff to set up two-factor authentication on first visit."
        )
        if settings.DEBUG:
            self.stdout.write(
                f"  Demo organization admin: {DEMO_ORG_ADMIN_EMAIL} / {DEMO_ORG_ADMIN_PASSWORD}"
            )
            self.stdout.write(
                f"  Demo focal point: {DEMO_FOCAL_POINT_EMAIL} / {DEMO_FOCAL_POINT_PASSWORD}"
            )
