from django.utils import translation

from .models import ConsentRecord
from .notice import CURRENT_VERSION


def record_consent(*, user, context: str) -> ConsentRecord:
    """Record that the user accepted the privacy notice in force, in the current language."""
    return ConsentRecord.objects.create(
        user=user,
        context=context,
        notice_version=CURRENT_VERSION,
        language=translation.get_language() or user.language,
    )
