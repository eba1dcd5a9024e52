"""Two-factor secrets encrypted at rest."""

from functools import lru_cache

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def mfa_fernet() -> MultiFernet:
    """The cipher for TOTP secrets and recovery-code seeds.

    ``settings.MFA_ENCRYPTION_KEYS`` lists Fernet keys, newest first: the first encrypts, every
    one decrypts, so a key can be rotated without locking anyone out.
    """
    return _fernet(tuple(settings.MFA_ENCRYPTION_KEYS))


class MFAAdapter(DefaultMFAAdapter):
    """Keep allauth's MFA secrets encrypted in the database."""

    def encrypt(self, text: str) -> str:
        return mfa_fernet().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_fernet().decrypt(encrypted_text.encode("ascii")).decode()
