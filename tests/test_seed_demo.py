"""seed_demo never leaves a staff account with a known password outside debug."""

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, ensure_demo_staff
from accounts.models import User


@pytest.mark.django_db
def test_seed_demo_outside_debug_refuses_without_a_password_of_your_own(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_STAFF_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="DEMO_STAFF_PASSWORD"):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.filter(email=DEMO_STAFF_EMAIL).exists()


@pytest.mark.django_db
def test_seed_demo_outside_debug_refuses_the_published_password(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_STAFF_PASSWORD", DEMO_STAFF_PASSWORD)

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.filter(email=DEMO_STAFF_EMAIL).exists()


@pytest.mark.django_db
def test_ensure_demo_staff_outside_debug_refuses_the_published_password(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured):
        ensure_demo_staff(password=DEMO_STAFF_PASSWORD)

    assert not User.objects.filter(email=DEMO_STAFF_EMAIL).exists()


@pytest.mark.django_db
def test_seed_demo_outside_debug_uses_the_chosen_password_and_does_not_print_it(
    settings, monkeypatch
):
    settings.DEBUG = False
    chosen = "Sarajevo-staging-password-7193"
    monkeypatch.setenv("DEMO_STAFF_PASSWORD", chosen)
    out = StringIO()

    call_command("seed_demo", stdout=out)

    user = User.objects.get(email=DEMO_STAFF_EMAIL)
    assert user.check_password(chosen)
    assert chosen not in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_in_debug_creates_the_published_demo_login(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_STAFF_PASSWORD", raising=False)
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert User.objects.get(email=DEMO_STAFF_EMAIL).check_password(DEMO_STAFF_PASSWORD)
    assert DEMO_STAFF_PASSWORD in out.getvalue()
