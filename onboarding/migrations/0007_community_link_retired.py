from django.db import migrations


class Migration(migrations.Migration):
    """The single community link staff kept is gone: the checklist leads to the page of community
    channels the workspace registers. Removed from the models only; the table
    onboarding_communitylink and its row stay, to be dropped by a later migration."""

    dependencies = [
        ("onboarding", "0006_submitted_drafts_keep_only_wishes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CommunityLink")],
            database_operations=[],
        ),
    ]
