from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Workspace")

    def ready(self):
        from experts import targets
        from onboarding import providers

        from .expert_invitations import homeland_calls

        # The onboarding checklist's "join the community channel" item leads here.
        providers.register_community_page(community_channels_page)
        # Staff invite experts on the roster to homeland calls from the expert's page.
        targets.register(homeland_calls)


def community_channels_page() -> str:
    from django.urls import reverse

    return reverse("workspace:channels")
