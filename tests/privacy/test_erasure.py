import time

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.models import AuditEntry
from meetings.models import Attendance
from meetings.models import Invitation as MeetingInvitation
from organizations.models import Membership, Organization
from privacy import services
from tests import factories

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)  # EmailField is a CharField


def rows_holding(value: str) -> list[str]:
    """Every model field (found by walking the models) whose stored text contains ``value``."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.GenericIPAddressField):
                hits = (
                    model._base_manager.filter(**{field.attname: value}).exists()
                    if _is_ip(value)
                    else False
                )
            elif isinstance(field, TEXT_FIELDS) or field.get_internal_type() in {
                "CharField",
                "TextField",
            }:
                hits = (
                    model._base_manager.annotate(_as_text=Cast(field.attname, models.TextField()))
                    .filter(_as_text__icontains=value)
                    .exists()
                )
            else:
                continue
            if hits:
                found.append(f"{model._meta.label}.{field.name}")
    return found


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _log_in(client, user, *, confirm=True):
    """Log in with the password and (``confirm``) enter it again, as the erasure asks."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response
    if confirm:
        response = client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
        assert response.status_code == 302, response


def test_erasure_leaves_no_personal_field_behind(client, world, django_capture_on_commit_callbacks):
    amra = world["amra"]["user"]
    _log_in(client, amra)  # a session with an IP address, through allauth
    personal = [amra.email, amra.full_name, world["amra"]["phone"], "127.0.0.1"]
    assert all(rows_holding(value) for value in personal[:3])  # the walk finds them before

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:erase"), {"confirm": "on"})

    assert response.status_code == 302, response
    assert response["Location"] == reverse("home"), response["Location"]
    assert not User.objects.filter(pk=amra.pk).exists()
    for value in personal:
        assert rows_holding(value) == [], value
    # The other person is untouched.
    tarik = world["tarik"]
    assert rows_holding(tarik["user"].email) and rows_holding(tarik["phone"])


def test_what_the_organization_needs_stays(client, world, django_capture_on_commit_callbacks):
    amra, organization = world["amra"]["user"], world["amra"]["organization"]
    colleague = factories.UserFactory()
    factories.MembershipFactory(user=colleague, organization=organization, role="admin")
    Attendance.objects.create(meeting=world["meeting"], organization=organization, people=3)
    _log_in(client, amra)

    client.post(reverse("privacy:erase"), {"confirm": "on"})

    assert Organization.objects.filter(pk=organization.pk).exists()
    assert Membership.objects.filter(
        organization=organization, user=colleague, role="admin"
    ).exists()
    assert Attendance.objects.get(organization=organization).people == 3
    answer = MeetingInvitation.objects.get(organization=organization)
    assert (answer.answer, answer.comment) == ("yes", "")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LAST_ADMIN_LEFT).exists()


def test_erasure_needs_a_recent_password(client, world):
    amra = world["amra"]["user"]
    _log_in(client, amra, confirm=False)

    response = client.post(reverse("privacy:erase"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=amra.pk).exists()

    _log_in(client, amra)  # the password entered again, but an hour ago
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] = time.time() - 3600
    session.save()
    response = client.post(reverse("privacy:erase"), {"confirm": "on"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=amra.pk).exists()


def test_erasure_needs_a_post_with_the_csrf_token(world):
    amra = world["amra"]["user"]
    _log_in(signed_in := Client(), amra)
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in.cookies  # the same session, from a page without the token

    assert client.get(reverse("privacy:erase")).status_code == 200  # the confirmation page only
    assert client.post(reverse("privacy:erase"), {"confirm": "on"}).status_code == 403
    assert User.objects.filter(pk=amra.pk).exists()


def test_erasure_without_the_confirmation_box_is_refused_next_to_the_field(client, world):
    _log_in(client, world["amra"]["user"])

    response = client.post(reverse("privacy:erase"), {})

    assert response.status_code == 422
    assert (
        'id="id_confirm_error"' in response.content.decode()
        or "confirm" in response.content.decode()
    )
    assert User.objects.filter(pk=world["amra"]["user"].pk).exists()


def test_organization_whose_last_admin_leaves_is_flagged_to_staff(staff_client, world):
    organization = world["amra"]["organization"]
    _log_in(client := Client(), world["amra"]["user"])

    client.post(reverse("privacy:erase"), {"confirm": "on"})

    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LAST_ADMIN_LEFT, object_id=str(organization.pk)
    ).exists()
    dashboard = staff_client.get(reverse("staff_dashboard")).content.decode()
    assert "/staff/privacy/" in dashboard
    page = staff_client.get(reverse("staff_privacy:overview")).content.decode()
    assert organization.name in page
    assert world["tarik"]["organization"].name not in page

    # A new admin clears the flag.
    factories.MembershipFactory(organization=organization, role="admin")
    page = staff_client.get(reverse("staff_privacy:overview")).content.decode()
    assert organization.name not in page


def test_staff_erasure_on_someones_behalf_is_logged(staff_client, staff_user_with_mfa, world):
    amra = world["amra"]["user"]

    response = staff_client.post(
        reverse("staff_privacy:overview"), {"erase-email": amra.email, "erase-confirm": "on"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk=amra.pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASURE)
    assert (entry.actor, entry.object_id) == (staff_user_with_mfa, str(amra.pk))
    assert rows_holding(amra.email) == []


def test_staff_erasure_form_refuses_unknown_addresses_and_the_staff_member_themself(
    staff_client, staff_user_with_mfa
):
    for email in ["nobody@example.org", staff_user_with_mfa.email]:
        response = staff_client.post(
            reverse("staff_privacy:overview"), {"erase-email": email, "erase-confirm": "on"}
        )
        assert response.status_code == 422
    assert User.objects.filter(pk=staff_user_with_mfa.pk).exists()


def test_erased_user_cannot_log_in_again(client, world):
    amra = world["amra"]["user"]
    services.erase_user(request=None, user=amra, by=amra)

    response = client.post(
        reverse("account_login"), {"login": amra.email, "password": factories.PASSWORD}
    )

    assert response.status_code == 422 or "_auth_user_id" not in client.session
