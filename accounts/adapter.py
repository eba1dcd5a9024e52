from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str

from core.site import on_site, site_netloc


@dataclass(frozen=True)
class PortalSite:
    """What allauth's e-mails call ``current_site``: the portal, not the request's host.

    Without django.contrib.sites, allauth would greet with the Host header ("127.0.0.1:8000
    vas pozdravlja!"); the name is translated when the e-mail is rendered.
    """

    domain: str

    @property
    def name(self) -> str:
        return force_str(settings.PORTAL_NAME)

    def __str__(self) -> str:
        return self.name


def portal_site() -> PortalSite:
    return PortalSite(domain=site_netloc())


class AccountAdapter(DefaultAccountAdapter):
    """The portal's accounts: the interface language, links on SITE_URL, subjects with the
    portal's name. Its e-mails go through the outbox (mail.account_emails)."""

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def get_reset_password_from_key_url(self, key):
        return on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def format_email_subject(self, subject):
        # The portal's name in the recipient's language (render_mail runs under it).
        return f"[{force_str(settings.PORTAL_NAME)}] {force_str(subject)}"
