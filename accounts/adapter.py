from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str

from mail.services import html_from_text, queue_rendered_email

from .models import User


def _language_for(email: str) -> str:
    user = User.objects.filter(email__iexact=email).only("language").first()
    if user is not None:
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE


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
    return PortalSite(domain=urlsplit(settings.SITE_URL).netloc)


def on_portal_site(url: str) -> str:
    """Return ``url`` on SITE_URL's scheme and host: links in e-mails never follow the Host
    header a request happened to carry."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    """Send allauth's e-mails through the outbox, in the recipient's language."""

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
        return on_portal_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_portal_site(super().get_email_confirmation_url(request, emailconfirmation))

    def format_email_subject(self, subject):
        # The portal's name in the recipient's language (render_mail runs under it).
        return f"[{force_str(settings.PORTAL_NAME)}] {force_str(subject)}"

    def send_mail(self, template_prefix, email, context):
        language = _language_for(email)
        with translation.override(language):
            ctx = {"request": self.request, "email": email}
            ctx.update(context)
            ctx["current_site"] = portal_site()
            message = self.render_mail(template_prefix, email, ctx)
            html = next(
                (content for content, mimetype in message.alternatives if mimetype == "text/html"),
                "",
            ) or html_from_text(message.body, subject=message.subject, language=language)
        queue_rendered_email(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            language=language,
            template=template_prefix,
        )
