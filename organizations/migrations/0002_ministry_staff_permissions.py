from django.db import migrations

GROUP = "Ministry staff"
PERMISSIONS = {
    "organization": ["view_organization", "change_organization"],
    "area": ["view_area", "add_area", "change_area", "delete_area"],
    "contactperson": ["view_contactperson", "change_contactperson"],
    "communicationchannel": ["view_communicationchannel", "change_communicationchannel"],
    "membership": ["view_membership"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("organizations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, codenames in PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="organizations",
                content_type__model=model,
                codename__in=codenames,
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="organizations")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_registry"),
        ("accounts", "0002_ministry_staff_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
