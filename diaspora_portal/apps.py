from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DiasporaPortalConfig(AppConfig):
    name = "diaspora_portal"
    verbose_name = _("Diaspora Portal")

    def ready(self):
        from . import checks  # noqa: F401 - registers the portal's system checks
        from .page_cache import forget_pages

        # Any change to what public pages show starts a new generation of cached pages.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(forget_pages, dispatch_uid=f"page-cache-{signal}")
