from django.db import migrations

GROUP = "Ministry staff"


def _outbox_view_permission(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="mail",
        content_type__model="outgoingemail",
        codename="view_outgoingemail",
    )


def remove_permission(apps, schema_editor):
    # E-mail bodies hold reset links and personal data: staff see failed e-mails on /staff/
    # (recipient, subject, error), never bodies through the admin.
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*_outbox_view_permission(apps))


def restore_permission(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.add(*_outbox_view_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0004_outgoing_email_uuid_unique"),
        ("accounts", "0002_ministry_staff_group"),
    ]

    operations = [migrations.RunPython(remove_permission, restore_permission)]
