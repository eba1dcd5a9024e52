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

    # An address proven elsewhere: an invitation link that reached it. Signing up with exactly
    # that address then needs no confirmation link (allauth's invitation hook).
    VERIFIED_EMAIL_SESSION_KEY = "account_verified_email"

    def stash_verified_email(self, request, email):
        request.session[self.VERIFIED_EMAIL_SESSION_KEY] = email

    def is_email_verified(self, request, email):
        verified = request.session.get(self.VERIFIED_EMAIL_SESSION_KEY)
        return bool(verified) and verified.lower() == email.lower()

    def unstash_verified_email(self, request):
        # Never adds the proven address to an account signed up with another one (allauth's
        # default would, as its primary address): the typed address is verified or not.
        return None

    def forget_verified_email(self, request):
        request.session.pop(self.VERIFIED_EMAIL_SESSION_KEY, None)

    def get_reset_password_from_key_url(self, key):
        return on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def format_email_subject(self, subject):
        # The portal's name in the recipient's language (render_mail runs under it).
        return f"[{force_str(settings.PORTAL_NAME)}] {force_str(subject)}"
