import uuid

from django.db import migrations


def fill_uuids(apps, schema_editor):
    OutgoingEmail = apps.get_model("mail", "OutgoingEmail")
    for email in OutgoingEmail.objects.filter(uuid__isnull=True).only("pk").iterator():
        OutgoingEmail.objects.filter(pk=email.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("mail", "0002_outbox_lease_expiry_columns")]

    operations = [migrations.RunPython(fill_uuids, migrations.RunPython.noop)]
