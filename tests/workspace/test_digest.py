"""The weekly digest: once per organization and week, in each admin's language, opt-out."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from mail.models import OutgoingEmail
from tests import factories
from workspace.digest import services as digest
from workspace.digest.models import DigestIssue
from workspace.models import Post
from workspace.tasks import send_weekly_digests_task


def _post(title, *, organization=None, country="", areas=(), **fields) -> Post:
    post = Post.objects.create(
        kind=fields.pop("kind", "call_for_partners"),
        organization=organization,
        title=title,
        body="Tražimo partnere.",
        country=country,
        published_at=fields.pop("published_at", timezone.now() - timedelta(hours=1)),
        **fields,
    )
    post.areas.set(areas)
    return post


@pytest.fixture
def network(db):
    """An organization in Germany working in culture, with a Bosnian and an English admin."""
    culture = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    sport = factories.AreaFactory(slug="sport", names={"bs": "Sport", "en": "Sport"})
    organization = factories.OrganizationFactory(country="DE", areas=[culture])
    bosnian = factories.MembershipFactory(
        organization=organization, role="admin", user=factories.UserFactory(language="bs")
    )
    english = factories.MembershipFactory(
        organization=organization, role="admin", user=factories.UserFactory(language="en")
    )
    # a plain member is not an admin: no digest
    factories.MembershipFactory(organization=organization, role="member")
    author = factories.OrganizationFactory(country="SE", name="KUD Bosna Göteborg")
    return {
        "organization": organization,
        "admins": {"bs": bosnian.user.email, "en": english.user.email},
        "culture": culture,
        "sport": sport,
        "author": author,
    }


def _wait(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _all_sent() -> bool:
    return not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()


@pytest.mark.django_db(transaction=True)
def test_the_digest_reaches_each_admin_once_a_week_whatever_the_number_of_runs(
    network, mailbox, celery_worker
):
    _post("Ljetna škola u Sarajevu", organization=network["author"], areas=[network["culture"]])
    factories.MeetingFactory(title="Check-in u novembru")

    # when: the beat task twice on the real worker and two runs at the same moment here
    send_weekly_digests_task.delay()
    send_weekly_digests_task.delay()

    def run():
        digest.send_weekly_digests()
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mailbox.wait_for(2)
    _wait(lambda: DigestIssue.objects.filter(status="pending").count() == 0)
    send_weekly_digests_task.delay()
    time.sleep(1)  # give a wrong third e-mail time to arrive
    _wait(_all_sent)

    # then: one e-mail per admin
    assert sorted(m["To"] for m in mailbox.messages) == sorted(network["admins"].values())
    assert DigestIssue.objects.get(organization=network["organization"]).status == "sent"

    # and the next week, with a new post, the digest comes again
    mailbox.clear()
    next_week = timezone.now() + timedelta(days=7)
    _post(
        "Poziv za biznis forum",
        country="DE",
        published_at=next_week - timedelta(hours=1),
        organization=network["author"],
    )
    digest.send_weekly_digests(now=next_week)
    digest.send_weekly_digests(now=next_week)
    messages = mailbox.wait_for(2)
    _wait(_all_sent)
    assert len(mailbox.messages) == 2
    assert "Poziv za biznis forum" in messages[0].get_body(("plain",)).get_content()
    assert "Ljetna škola" not in messages[0].get_body(("plain",)).get_content()
    assert DigestIssue.objects.filter(status="sent").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_digest_lists_new_posts_in_the_areas_and_meetings_in_the_admins_language(
    network, mailbox, celery_worker
):
    author = network["author"]
    _post("Ljetna škola u Sarajevu", organization=author, areas=[network["culture"]])
    _post("Turnir u Berlinu", organization=author, country="DE", kind="event")
    _post("Vijest ministarstva za sve", kind="news")
    _post("Fudbalski kamp u Malmeu", organization=author, country="SE", areas=[network["sport"]])
    _post("Sakriveno", organization=author, areas=[network["culture"]], status="hidden")
    _post(
        "Stara vijest",
        organization=author,
        areas=[network["culture"]],
        published_at=timezone.now() - timedelta(days=30),
    )
    _post("Naš vlastiti poziv", organization=network["organization"], country="DE")
    factories.MeetingFactory(title="Check-in za sve")
    factories.MeetingFactory(title="Check-in Švedska", scope="country", host_country="SE")
    factories.MeetingFactory(title="Nacrt sastanka", status="draft")

    digest.send_weekly_digests()
    messages = {m["To"]: m for m in mailbox.wait_for(2)}

    english = messages[network["admins"]["en"]]
    bosnian = messages[network["admins"]["bs"]]
    assert "3 new posts" in english["Subject"]
    assert "3 nove objave" in bosnian["Subject"]
    for message in (english, bosnian):
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for shown in ["Ljetna škola", "Turnir u Berlinu", "Vijest ministarstva", "Check-in za sve"]:
            assert shown in text
            assert shown in html
        for hidden in [
            "Fudbalski",
            "Sakriveno",
            "Stara vijest",
            "Naš vlastiti",
            "Švedska",
            "Nacrt",
        ]:
            assert hidden not in text
            assert hidden not in html
        assert "/workspace/digest/" in message["List-Unsubscribe"]
    assert "Meetings ahead" in english.get_body(("plain",)).get_content()
    assert "Sastanci koji dolaze" in bosnian.get_body(("plain",)).get_content()


def test_an_organization_that_switched_the_digest_off_gets_none(
    network, django_capture_on_commit_callbacks
):
    _post("Ljetna škola u Sarajevu", organization=network["author"], areas=[network["culture"]])
    admin = factories.UserFactory()
    factories.MembershipFactory(organization=network["organization"], user=admin, role="admin")
    client = Client()
    client.force_login(admin)
    organization = network["organization"]

    response = client.post(f"/workspace/digest/{organization.slug}/", {})

    assert response.status_code == 302
    assert "Sedmični pregled je isključen" in client.get("/workspace/digest/").content.decode()
    digest.send_weekly_digests()
    assert not OutgoingEmail.objects.exists()

    response = client.post(
        f"/workspace/digest/{organization.slug}/", {f"org{organization.pk}-receives_digest": "on"}
    )
    digest.send_weekly_digests(now=timezone.now() + timedelta(days=7))
    assert OutgoingEmail.objects.count() == 3


def test_a_week_without_news_sends_nothing(network):
    _post("Fudbalski kamp u Malmeu", organization=network["author"], country="SE")
    assert digest.send_weekly_digests() == {"sent": 0, "skipped": 2}  # with the author's
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("role", ["member", "admin of another organization"])
def test_only_the_organizations_admins_switch_its_digest(network, client, role):
    organization = network["organization"]
    if role == "member":
        user = factories.MembershipFactory(organization=organization, role="member").user
    else:
        user = factories.MembershipFactory(role="admin").user
    client.force_login(user)
    response = client.post(f"/workspace/digest/{organization.slug}/", {})
    assert response.status_code == 403
    assert digest.receives_digest(organization)


def test_who_switched_the_digest_is_exported_and_erased_with_the_person(network):
    from workspace import personal_data
    from workspace.digest.models import DigestPreference

    admin = factories.MembershipFactory(organization=network["organization"], role="admin").user
    digest.set_digest_preference(
        organization=network["organization"], receives_digest=False, by=admin
    )

    exported = personal_data.export_user(admin)["digest_preferences"]
    assert exported[0]["organization"] == network["organization"].name
    assert exported[0]["receives_digest"] is False

    personal_data.erase_user(admin)
    preference = DigestPreference.objects.get()
    assert preference.changed_by is None
    assert preference.receives_digest is False  # the organization's choice stays
