"""allauth's e-mails (verification, password reset, change notices) through the outbox, in the
recipient's language: the account adapter the settings name (``ACCOUNT_ADAPTER``)."""

from django.conf import settings
from django.utils import translation

from accounts import adapter
from accounts.models import User

from .services import html_from_text, queue_rendered_email


def _language_for(email: str) -> str:
    user = User.objects.filter(email__iexact=email).only("language").first()
    if user is not None:
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(adapter.AccountAdapter):
    """Send allauth's e-mails through the outbox, in the recipient's language."""

    def send_mail(self, template_prefix, email, context):
        language = _language_for(email)
        with translation.override(language):
            ctx = {"request": self.request, "email": email}
            ctx.update(context)
            ctx["current_site"] = adapter.portal_site()
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
