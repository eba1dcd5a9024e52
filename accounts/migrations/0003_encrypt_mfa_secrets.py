"""Encrypt TOTP secrets and recovery-code seeds stored before MFA_ADAPTER encrypted them."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import migrations

SECRET_FIELDS = ("secret", "seed")


def _cipher():
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])


def _is_encrypted(cipher, value):
    try:
        cipher.decrypt(value.encode())
    except InvalidToken:
        return False
    return True


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(
        type__in=["totp", "recovery_codes"]
    ).order_by("pk"):
        data = dict(authenticator.data)
        for field in SECRET_FIELDS:
            if isinstance(data.get(field), str):
                data[field] = convert(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    cipher = _cipher()
    _convert(
        apps,
        lambda value: value
        if _is_encrypted(cipher, value)
        else cipher.encrypt(value.encode()).decode("ascii"),
    )


def decrypt_secrets(apps, schema_editor):
    cipher = _cipher()
    _convert(
        apps,
        lambda value: cipher.decrypt(value.encode()).decode()
        if _is_encrypted(cipher, value)
        else value,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_ministry_staff_group"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
