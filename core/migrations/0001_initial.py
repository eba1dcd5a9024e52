import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The table was made by the privacy app, where the audit log lived until now.
        ("privacy", "0004_data_export_attempts_and_failed"),
    ]

    operations = [
        # The model moves here from the privacy app; its table stays (db_table), no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('actor_ref', models.CharField(blank=True, db_index=True, editable=False, max_length=32, verbose_name='who (pseudonym)')),
                        ('action', models.CharField(choices=[('view_contacts', 'Viewed private contact data'), ('csv_export', 'Exported a CSV file'), ('data_export', 'Requested a data export'), ('data_download', 'Downloaded a data export'), ('erasure', 'Erased an account'), ('last_admin_left', 'Organization left without an admin')], max_length=30, verbose_name='action')),
                        ('object_type', models.CharField(blank=True, max_length=100, verbose_name='object type')),
                        ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                        ('object_label', models.CharField(blank=True, max_length=200, verbose_name='object')),
                        ('path', models.CharField(blank=True, max_length=500, verbose_name='address')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit log',
                        'db_table': 'privacy_auditentry',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['object_type', 'object_id'], name='audit_object_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
