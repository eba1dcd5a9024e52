from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Expert roster")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers
