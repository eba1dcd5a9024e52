"""Versions of the privacy notice. Consent records name the version the user accepted.

Raise CURRENT_VERSION and add a folder templates/privacy/notices/<version>/ (one file per
language) when the text changes in substance; keep the old folders: a consent record must keep
pointing at the text its user read.
"""

from datetime import date

from django.conf import settings
from django.template.loader import select_template
from django.utils import translation

VERSIONS = {
    "2026-11-25": date(2026, 11, 25),
    # The expert roster, country liaisons and how long messages to experts are kept.
    "2026-12-06": date(2026, 12, 6),
}
CURRENT_VERSION = "2026-12-06"


def notice_template(version: str, language: str | None = None):
    """Return the notice's template in the language, falling back to the default language."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return select_template(
        [
            f"privacy/notices/{version}/{language}.html",
            f"privacy/notices/{version}/{settings.LANGUAGE_CODE}.html",
        ]
    )


def retention_periods() -> dict:
    """The periods the notice states, read from the settings that retention enforces."""
    return {
        "drafts_days": settings.PRIVACY_DRAFT_RETENTION_DAYS,
        "invitations_days": settings.PRIVACY_INVITATION_RETENTION_DAYS,
        "rsvp_days": settings.PRIVACY_RSVP_DETAIL_RETENTION_DAYS,
        "sessions_days": settings.PRIVACY_SESSION_RETENTION_DAYS,
        "audit_days": settings.PRIVACY_AUDIT_RETENTION_DAYS,
        "mail_days": settings.MAIL_RETENTION_DAYS,
        "export_hours": settings.PRIVACY_EXPORT_LINK_HOURS,
        "expert_messages_days": settings.EXPERTS_CONTACT_RETENTION_DAYS,
    }
