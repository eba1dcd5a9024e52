"""The portal's own deployment checks: ``manage.py check --deploy`` names what is missing.

settings.py already refuses to start outside debug without the variables; these checks look at
the values a production process would run with.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from core.site import site_parts

INSECURE_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "prints every e-mail (reset links too)",
    "django.core.mail.backends.filebased.EmailBackend": "writes every e-mail to files",
    "django.core.mail.backends.locmem.EmailBackend": "keeps e-mails in memory",
    "django.core.mail.backends.dummy.EmailBackend": "drops every e-mail",
}
SHARED_CACHE_BACKENDS = {
    "core.cache.PortalRedisCache",
    "django.core.cache.backends.redis.RedisCache",
}


@register(Tags.security, deploy=True)
def check_email(app_configs, **kwargs):
    errors = []
    reason = INSECURE_EMAIL_BACKENDS.get(settings.EMAIL_BACKEND)
    if reason:
        errors.append(
            Error(
                f"EMAIL_URL selects {settings.EMAIL_BACKEND}, which {reason}.",
                hint="Set EMAIL_URL to the SMTP server, e.g. smtp+tls://user:pass@host:587.",
                id="diaspora_portal.E001",
            )
        )
    sender = settings.DEFAULT_FROM_EMAIL.lower()
    if not sender or "@localhost" in sender:
        errors.append(
            Error(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}, not a real sender.",
                hint="Set DEFAULT_FROM_EMAIL, e.g. 'Portal dijaspore <noreply@your.domain>'.",
                id="diaspora_portal.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    parts = site_parts()
    if parts.scheme != "https" or not parts.hostname:
        return [
            Error(
                f"SITE_URL is {settings.SITE_URL!r}: links in e-mails must use https://.",
                hint="Set SITE_URL to the portal's public address, e.g. https://portal.gov.ba.",
                id="diaspora_portal.E003",
            )
        ]
    if parts.hostname in {"localhost", "127.0.0.1", "::1"}:
        return [
            Error(
                f"SITE_URL points at this machine ({settings.SITE_URL!r}).",
                hint="Set SITE_URL to the portal's public address.",
                id="diaspora_portal.E003",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in SHARED_CACHE_BACKENDS:
        return [
            Error(
                f"The cache ({backend}) is not shared between processes: login rate limits "
                "would count per gunicorn worker.",
                hint="Set CACHE_URL (redis://...) or use Redis as CELERY_BROKER_URL.",
                id="diaspora_portal.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_proxy(app_configs, **kwargs):
    if settings.SECURE_PROXY_SSL_HEADER and not settings.BEHIND_PROXY:
        return [
            Error(
                "X-Forwarded-Proto is trusted without DJANGO_BEHIND_PROXY: any client could "
                "claim to use HTTPS.",
                id="diaspora_portal.E005",
            )
        ]
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT and not settings.BEHIND_PROXY:
        return [
            Error(
                "DJANGO_TRUSTED_PROXY_COUNT is set without DJANGO_BEHIND_PROXY: clients could "
                "choose the address their rate limits count against.",
                hint="Set DJANGO_BEHIND_PROXY=1 when a proxy of your own is in front.",
                id="diaspora_portal.E006",
            )
        ]
    return []
