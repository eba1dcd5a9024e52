from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_data_export_attempts_and_failed"),
        ("core", "0001_initial"),
    ]

    operations = [
        # The audit log now belongs to core (core.AuditEntry, same table privacy_auditentry).
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
