from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DiasporaPortalConfig(AppConfig):
    name = "diaspora_portal"
    verbose_name = _("Diaspora Portal")

    def ready(self):
        from django.apps import apps

        from core import page_cache

        from . import cached_pages, checks  # noqa: F401 - checks registers the system checks

        page_cache.declare(
            pages=cached_pages.PAGE_PARAMETERS,
            public_apps=cached_pages.PUBLIC_APPS,
            public_prefixes=cached_pages.PUBLIC_PREFIXES,
            personal_prefixes=cached_pages.PERSONAL_PREFIXES,
        )

        # Any change to what public pages show starts a new generation of cached pages. Only
        # the public apps' models are connected: a receiver for every model would make Django
        # load each row before deleting it (no fast delete), e.g. a purge of old e-mails.
        for label in sorted(cached_pages.PUBLIC_APPS):
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                for signal in (post_save, post_delete, m2m_changed):
                    signal.connect(
                        page_cache.forget_pages,
                        sender=model,
                        dispatch_uid=f"page-cache-{signal}-{model._meta.label}",
                    )
