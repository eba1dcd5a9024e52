from django.db import migrations


def strip_submitted_drafts(apps, schema_editor):
    """Submitted registrations keep only their wishes: the organization holds the rest."""
    Registration = apps.get_model("onboarding", "Registration")
    submitted = Registration.objects.filter(submitted_at__isnull=False).exclude(data={})
    for registration in submitted.only("pk", "data").iterator(chunk_size=500):
        wishes = (registration.data.get("areas") or {}).get("wishes")
        kept = {"areas": {"wishes": wishes}} if wishes else {}
        if kept != registration.data:
            Registration.objects.filter(pk=registration.pk).update(data=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0005_backfill_staff_notified_at"),
    ]

    operations = [
        migrations.RunPython(strip_submitted_drafts, migrations.RunPython.noop),
    ]
