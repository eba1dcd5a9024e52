from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from onboarding.signals import consent_given

from .consent import record_consent
from .models import ConsentRecord


@receiver(user_signed_up, dispatch_uid="privacy_record_signup_notice")
def record_signup_notice(sender, request, user, **kwargs):
    # The signup page links the notice in force; the record says which text the user was shown.
    record_consent(user=user, context=ConsentRecord.Context.SIGNUP)


@receiver(consent_given, dispatch_uid="privacy_record_onboarding_notice")
def record_onboarding_notice(sender, user, **kwargs):
    # The consent step links the full privacy notice: its version is recorded as well.
    record_consent(user=user, context="onboarding")
