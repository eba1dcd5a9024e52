"""A person lists themself: a verified address, explicit consent with its version, hidden from
members by default, and theirs to change, hide and delete."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from experts.models import Expert
from tests import factories

pytestmark = pytest.mark.django_db

ME = reverse("experts:me")


def _data(fields, **extra):
    return {
        "headline": "Kardiologinja",
        "expertise": [fields["medicine"].pk],
        "languages": ["bs", "de"],
        "country": "AT",
        "availability": ["mentoring", "online_advice"],
        "bio": "Dvadeset godina u kardiologiji.",
        "visibility": "staff",
        "consent": "on",
    } | extra


def test_listing_requires_a_verified_address(client, fields):
    user = factories.UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    client.force_login(user)

    page = client.get(ME)
    response = client.post(ME, _data(fields))

    assert page.status_code == 200
    assert 'name="headline"' not in page.content.decode()
    assert reverse("account_email") in page.content.decode()
    assert response.status_code == 403
    assert not Expert.objects.exists()


def test_listing_requires_consent(client, fields, user):
    client.force_login(user)
    data = _data(fields)
    del data["consent"]

    response = client.post(ME, data)

    assert response.status_code == 422
    assert "Bez vaše saglasnosti" in response.content.decode()
    assert not Expert.objects.exists()


def test_listing_records_the_consent_text_version_and_language(client, fields, user, settings):
    settings.EXPERTS_CONSENT_VERSION = "2031-01-02"
    client.force_login(user)

    response = client.post(ME, _data(fields))

    assert response.status_code == 302
    expert = Expert.objects.get(user=user)
    assert (expert.consent_version, expert.consent_language) == ("2031-01-02", "bs")
    assert expert.consent_at is not None
    assert list(expert.expertise.all()) == [fields["medicine"]]


def test_a_new_listing_is_shown_to_staff_only_by_default(staff_client, fields, user, member):
    client = Client()
    client.force_login(user)
    form = client.get(ME).content.decode()
    checked = re.findall(r'<input[^>]*name="visibility"[^>]*checked[^>]*>', form)

    client.post(ME, _data(fields))

    assert len(checked) == 1 and 'value="staff"' in checked[0]
    assert Expert.objects.get(user=user).visibility == Expert.Visibility.STAFF
    assert user.full_name in staff_client.get(reverse("staff_experts:list")).content.decode()
    client.force_login(member)
    assert user.full_name not in client.get(reverse("experts:roster")).content.decode()


def test_a_hidden_listing_is_shown_to_nobody(staff_client, expert, member):
    client = Client()
    client.force_login(expert.user)

    client.post(reverse("experts:hide"), {"hidden": "1"})

    expert.refresh_from_db()
    assert expert.is_hidden
    assert expert.name not in staff_client.get(reverse("staff_experts:list")).content.decode()
    assert staff_client.get(reverse("staff_experts:detail", args=[expert.pk])).status_code == 404
    client.force_login(member)
    assert expert.name not in client.get(reverse("experts:roster")).content.decode()
    client.force_login(expert.user)
    client.post(reverse("experts:hide"), {"hidden": "0"})
    client.force_login(member)
    assert expert.name in client.get(reverse("experts:roster")).content.decode()


def test_the_person_deletes_their_listing(client, expert):
    client.force_login(expert.user)

    response = client.post(reverse("experts:delete"))

    assert response.status_code == 302
    assert not Expert.objects.filter(pk=expert.pk).exists()


def test_the_person_edits_their_listing_without_consenting_again(client, expert, fields):
    client.force_login(expert.user)
    data = _data(fields, headline="Profesorica kardiologije", visibility="members")
    del data["consent"]

    response = client.post(ME, data)

    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.headline == "Profesorica kardiologije"


def test_a_changed_consent_text_hides_the_listing_until_the_person_agrees_again(
    client, expert, member, fields, settings
):
    settings.EXPERTS_CONSENT_VERSION = "2099-01-01"
    client.force_login(member)
    assert expert.name not in client.get(reverse("experts:roster")).content.decode()
    client.force_login(expert.user)
    data = _data(fields, visibility="members")
    del data["consent"]
    assert client.post(ME, data).status_code == 422

    client.post(ME, _data(fields, visibility="members"))

    client.force_login(member)
    assert expert.name in client.get(reverse("experts:roster")).content.decode()


def test_the_bio_is_length_limited_and_escaped(client, fields, user, member):
    client.force_login(user)
    assert client.post(ME, _data(fields, bio="x" * 1501)).status_code == 422

    client.post(ME, _data(fields, bio="<script>alert(1)</script>", visibility="members"))

    client.force_login(member)
    page = client.get(reverse("experts:roster")).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_the_account_area_links_to_the_listing(client, user):
    client.force_login(user)

    assert f'href="{ME}"' in client.get(reverse("account_overview")).content.decode()


def test_a_listing_needs_the_persons_name(client, fields):
    user = factories.UserFactory(full_name="")
    client.force_login(user)

    response = client.post(ME, _data(fields))

    assert response.status_code == 422
    assert "stručnjaci se navode po imenu" in response.content.decode()
    assert not Expert.objects.exists()
