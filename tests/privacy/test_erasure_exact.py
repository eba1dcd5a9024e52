"""Erasure finds what it removes by stored keys and exact values, never by part of a name; the
audit log keeps a stable pseudonym of an erased actor."""

import pytest
from django.utils import timezone

from core import audit
from core.models import AuditEntry
from mail.models import OutgoingEmail
from privacy import services
from tests import factories

pytestmark = pytest.mark.django_db


def _sent(to, subject, body):
    return OutgoingEmail.objects.create(
        to=to,
        from_email="portal@example.org",
        subject=subject,
        body_text=body,
        body_html=f"<p>{body}</p>",
        language="bs",
        status="sent",
        sent_at=timezone.now(),
    )


def test_a_person_named_a_who_erases_their_account_leaves_others_data_alone(staff_user_with_mfa):
    # given a person whose name is one letter, and records about everyone else
    person = factories.UserFactory(email="a@example.org", full_name="a")
    organization = factories.OrganizationFactory(name="Udruženje Sevdah Beč")
    audit.record(None, audit.Action.VIEW_CONTACTS, organization, actor=staff_user_with_mfa)
    other_mail = _sent("tarik@example.org", "Poziv na sastanak", "Dobar dan, vidimo se u petak.")
    similar_address = _sent("xa@example.org", "Pozdrav", "Pišite na xa@example.org.")

    services.erase_user(request=None, user=person, by=person)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_CONTACTS)
    assert entry.object_label == "Udruženje Sevdah Beč"
    other_mail.refresh_from_db()
    assert (other_mail.subject, other_mail.body_text) == (
        "Poziv na sastanak",
        "Dobar dan, vidimo se u petak.",
    )
    similar_address.refresh_from_db()
    assert similar_address.body_text == "Pišite na xa@example.org."


def test_erasure_removes_emails_to_the_person_and_sent_ones_naming_their_address():
    person = factories.UserFactory(email="amra@example.org", full_name="Amra Kovačević")
    to_her = _sent("Amra@Example.org", "Dobrodošli", "Zdravo")
    naming_her = _sent("staff@example.org", "Nova registracija", "Javila se amra@example.org.")

    services.erase_user(request=None, user=person, by=person)

    assert not OutgoingEmail.objects.filter(pk=to_her.pk).exists()
    naming_her.refresh_from_db()
    assert "amra@example.org" not in naming_her.body_text + naming_her.body_html


def test_audit_entries_about_the_person_are_found_by_their_key(staff_user_with_mfa):
    person = factories.UserFactory(email="emina@example.org", full_name="Emina Zukić")
    other = factories.UserFactory(email="emina.z@example.org", full_name="Emina Zukić Beč")
    about_person = audit.record(None, audit.Action.DATA_EXPORT, person, actor=staff_user_with_mfa)
    about_other = audit.record(None, audit.Action.DATA_EXPORT, other, actor=staff_user_with_mfa)
    # rows written before labels were "#id" named the person in full
    AuditEntry.objects.filter(pk=about_person.pk).update(object_label="Emina Zukić")
    AuditEntry.objects.filter(pk=about_other.pk).update(object_label="Emina Zukić Beč")

    services.erase_user(request=None, user=person, by=person)

    about_person.refresh_from_db()
    about_other.refresh_from_db()
    assert "Emina" not in about_person.object_label
    assert about_other.object_label == "Emina Zukić Beč"


def test_the_audit_log_keeps_a_stable_pseudonym_of_an_erased_staff_member(
    staff_user_with_mfa,
):
    # given a member of staff who looked at contact data twice, and then left
    leaver = factories.StaffUserFactory(email="odlazi@example.org")
    organization = factories.OrganizationFactory()
    first = audit.record(None, audit.Action.VIEW_CONTACTS, organization, actor=leaver)
    second = audit.record(None, audit.Action.CSV_EXPORT, actor=leaver)
    someone_else = audit.record(None, audit.Action.CSV_EXPORT, actor=staff_user_with_mfa)

    services.erase_user(request=None, user=leaver, by=staff_user_with_mfa)

    for entry in (first, second, someone_else):
        entry.refresh_from_db()
    assert first.actor is None and second.actor is None
    assert first.actor_ref and first.actor_ref == second.actor_ref
    assert someone_else.actor_ref != first.actor_ref
    assert "odlazi" not in first.actor_ref


def test_a_self_erasure_is_logged_under_the_persons_pseudonym():
    person = factories.UserFactory()
    before = audit.record(None, audit.Action.CSV_EXPORT, actor=person)

    services.erase_user(request=None, user=person, by=person)

    erasure = AuditEntry.objects.get(action=AuditEntry.Action.ERASURE)
    before.refresh_from_db()
    assert erasure.actor_ref and erasure.actor_ref == before.actor_ref


def test_staff_find_an_erased_actors_entries_by_the_pseudonym_the_log_shows(staff_client):
    leaver = factories.StaffUserFactory(email="odlazi@example.org")
    entry = audit.record(None, audit.Action.CSV_EXPORT, actor=leaver)
    services.erase_user(request=None, user=leaver, by=None)
    entry.refresh_from_db()

    page = staff_client.get("/staff/privacy/audit/", {"actor": entry.actor_ref})

    assert page.content.decode().count(entry.actor_ref) >= 2  # the filter field and the row
