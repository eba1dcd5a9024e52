from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from django.utils import translation

from .models import ConsentRecord
from .notice import CURRENT_VERSION


@receiver(user_signed_up, dispatch_uid="privacy_record_signup_notice")
def record_signup_notice(sender, request, user, **kwargs):
    # The signup page links the notice in force; the record says which text the user was shown.
    ConsentRecord.objects.create(
        user=user,
        context=ConsentRecord.Context.SIGNUP,
        notice_version=CURRENT_VERSION,
        language=translation.get_language() or user.language,
    )
