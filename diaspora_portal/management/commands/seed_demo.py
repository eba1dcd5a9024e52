import os

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_STAFF_EMAIL, ensure_demo_staff
from organizations.demo import ensure_demo_organizations


class Command(BaseCommand):
    help = "Create or update the demo data (idempotent): a ministry staff user for now."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_STAFF_PASSWORD", "dijaspora-demo-2026")
        with transaction.atomic():
            created = ensure_demo_staff(password=password)
            ensure_demo_organizations()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"  Demo staff login: {DEMO_STAFF_EMAIL}")
        if created:
            self.stdout.write(f"  Password: {password}")
        else:
            self.stdout.write(f"  Password: {password} (unless it was changed since)")
        self.stdout.write(
            "  The staff area asks staff to set up two-factor authentication on first visit."
        )
