from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from mail.services import html_from_text, queue_rendered_email

from .models import User


def _language_for(email: str) -> str:
    user = User.objects.filter(email__iexact=email).only("language").first()
    if user is not None:
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    """Send allauth's e-mails through the outbox, in the recipient's language."""

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        language = _language_for(email)
        with translation.override(language):
            request = self.request
            ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
            ctx.update(context)
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
