from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .page_cache import renew_after_migrate

        # Once per `manage.py migrate`, which every deploy runs (bin/run, docker-compose).
        post_migrate.connect(renew_after_migrate, sender=self)
