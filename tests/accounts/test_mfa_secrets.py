import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, activate_totp, totp_code

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_totp_secret_is_stored_encrypted_and_login_with_a_code_still_works(client, user):
    secret = activate_totp(user)

    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data
    assert secret not in json.dumps(stored)

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_recovery_code_seed_is_stored_encrypted(user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(user)
    stored = codes.instance.data["seed"]

    assert len(stored) > 80  # a Fernet token, not the 80 hex digits of the seed
    assert RecoveryCodes(codes.instance).validate_code(codes.generate_codes()[0])


@pytest.mark.django_db
def test_a_rotated_key_still_decrypts_old_secrets(client, user, settings):
    from cryptography.fernet import Fernet

    secret = activate_totp(user)
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.MFA_ENCRYPTION_KEYS]

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert client.session["_auth_user_id"] == str(user.pk), response


def _settings_in_subprocess(**overrides):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings", **overrides}
    for name, value in overrides.items():
        if value is None:
            env.pop(name)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_settings_refuse_to_start_outside_debug_without_an_encryption_key():
    result = _settings_in_subprocess(
        DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="portal.example", MFA_ENCRYPTION_KEY=None
    )

    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY" in result.stderr


def test_settings_refuse_a_key_that_is_not_a_fernet_key():
    result = _settings_in_subprocess(MFA_ENCRYPTION_KEY="not-a-key")

    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY must hold Fernet keys" in result.stderr


def test_debug_derives_a_key_from_the_secret_key():
    result = _settings_in_subprocess(DJANGO_DEBUG="1", MFA_ENCRYPTION_KEY=None)

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_migration_encrypts_secrets_stored_in_the_clear_and_reverses(client, user):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0003_encrypt_mfa_secrets")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    authenticator = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )

    migration.encrypt_secrets(apps, None)
    migration.encrypt_secrets(apps, None)  # a second run leaves encrypted secrets alone

    authenticator.refresh_from_db()
    assert authenticator.data["secret"] != secret
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(user.pk)

    migration.decrypt_secrets(apps, None)
    authenticator.refresh_from_db()
    assert authenticator.data["secret"] == secret
