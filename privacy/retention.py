"""How long personal data is kept, enforced each night (privacy.enforce_retention).

Periods come from the settings (PRIVACY_*_DAYS, MAIL_RETENTION_DAYS; see docs/privacy.md).
Each app removes what is past its periods in its ``personal_data.purge_expired()`` (see
providers.py), which returns how much of each kind; privacy names no app. Every step removes
only what is past its period, so a second run removes nothing more.
"""

import logging

from .providers import personal_data_modules

logger = logging.getLogger(__name__)


def enforce_retention() -> dict[str, int]:
    """Remove what is past its retention period; return (and log) how much of each kind."""
    removed = {}
    for module in personal_data_modules().values():
        purge = getattr(module, "purge_expired", None)
        if purge is not None:
            removed.update(purge())
    logger.info("Retention: %s.", ", ".join(f"{kind}={count}" for kind, count in removed.items()))
    return removed
