from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiasporaPortalConfig(AppConfig):
    name = "diaspora_portal"
    verbose_name = _("Diaspora Portal")
