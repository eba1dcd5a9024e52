from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiasporaPortalConfig(AppConfig):
    name = "diaspora_portal"
    verbose_name = _("Diaspora Portal")

    def ready(self):
        from . import checks  # noqa: F401 - registers the portal's system checks
