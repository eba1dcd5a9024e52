"""Registrations submitted before the staff notice was batched were announced at submission."""

from django.db import migrations
from django.db.models import F


def mark_notified(apps, schema_editor):
    Registration = apps.get_model("onboarding", "Registration")
    Registration.objects.filter(submitted_at__isnull=False, staff_notified_at__isnull=True).update(
        staff_notified_at=F("submitted_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0004_registration_staff_notified_at"),
    ]

    operations = [
        migrations.RunPython(mark_notified, migrations.RunPython.noop),
    ]
