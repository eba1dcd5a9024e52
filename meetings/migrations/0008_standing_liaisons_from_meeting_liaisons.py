"""Every country liaison of a meeting in a series becomes a standing liaison of that series for
the meeting's host country. The per-meeting rows stay (meetings outside a series still use
them); going back removes only the standing liaisons this migration could have created."""

from django.db import migrations


def forwards(apps, schema_editor):
    Liaison = apps.get_model("meetings", "Liaison")
    SeriesLiaison = apps.get_model("meetings", "SeriesLiaison")
    rows = (
        Liaison.objects.filter(meeting__series__isnull=False, meeting__scope="country")
        .exclude(meeting__host_country="")
        .values_list("meeting__series_id", "meeting__host_country", "user_id")
        .order_by("pk")
    )
    SeriesLiaison.objects.bulk_create(
        [
            SeriesLiaison(series_id=series_id, country=country, user_id=user_id)
            for series_id, country, user_id in set(rows)
        ],
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    Liaison = apps.get_model("meetings", "Liaison")
    SeriesLiaison = apps.get_model("meetings", "SeriesLiaison")
    for series_id, country, user_id in Liaison.objects.filter(
        meeting__series__isnull=False, meeting__scope="country"
    ).values_list("meeting__series_id", "meeting__host_country", "user_id"):
        SeriesLiaison.objects.filter(
            series_id=series_id, country=country, user_id=user_id, created_by__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_series_audiences_liaisons_archive_key")]

    operations = [migrations.RunPython(forwards, backwards)]
