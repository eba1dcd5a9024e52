from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Workspace")

    def ready(self):
        from onboarding import providers

        # The onboarding checklist's "join the community channel" item leads here.
        providers.register_community_page(community_channels_page)


def community_channels_page() -> str:
    from django.urls import reverse

    return reverse("workspace:channels")
