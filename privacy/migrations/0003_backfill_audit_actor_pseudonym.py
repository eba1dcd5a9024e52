from django.db import migrations
from django.utils.crypto import salted_hmac


def backfill(apps, schema_editor):
    """Give every logged act by an existing account its actor's pseudonym (privacy.audit)."""
    AuditEntry = apps.get_model("privacy", "AuditEntry")
    actor_ids = (
        AuditEntry.objects.filter(actor__isnull=False, actor_ref="")
        .values_list("actor_id", flat=True)
        .distinct()
    )
    for actor_id in list(actor_ids):
        AuditEntry.objects.filter(actor_id=actor_id, actor_ref="").update(
            actor_ref=salted_hmac("privacy.audit.actor", str(actor_id)).hexdigest()[:20]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_audit_actor_pseudonym"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
