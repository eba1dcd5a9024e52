"""A registry with a secret in every private place, and a reader of a snapshot's files."""

import csv
import io
import json
from datetime import timedelta

from django.utils import timezone

from meetings import services as meeting_services
from tests import factories

# Every private value of the world below holds this, and no public value does.
MARKER = "TAJNA7Q"


def secret(text: str = "") -> str:
    return f"{text}{MARKER}"


def private_world() -> dict:
    """Listed organizations with public and private data, unlisted ones, and meetings whose
    minutes are published, withdrawn, still a draft or never written."""
    area = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    listed = factories.OrganizationFactory(
        name="Udruženje Ljiljan",
        slug="udruzenje-ljiljan",
        city="Wien",
        country="AT",
        founding_year=1995,
        website="https://ljiljan.example",
        public_email="info@ljiljan.example",
        public_phone="+43 1 2345678",
        description="Kulturno udruženje: **sevdah** i folklor.",
        languages=["bs", "de"],
        size="21-100",
        staff_notes=secret("Bilješka osoblja "),
    )
    listed.areas.add(area)
    factories.ChannelFactory(organization=listed, kind="facebook", value="https://fb.example/lj")
    factories.ChannelFactory(
        organization=listed,
        kind="whatsapp",
        value=f"https://chat.whatsapp.com/{MARKER}",
        visibility="members",
    )
    # Contact persons stay out of the open data, public ones too: they are people.
    for is_public in (False, True):
        factories.ContactFactory(
            organization=listed,
            name=secret("Osoba "),
            role=secret("Uloga "),
            email=f"{MARKER.lower()}{int(is_public)}@osoba.example",
            phone="+49 30 7654321",
            is_public=is_public,
        )
    member = factories.MembershipFactory(organization=listed, role="admin")
    member.user.email = f"{MARKER.lower()}@korisnik.example"
    member.user.full_name = secret("Korisnik ")
    member.user.save()
    other_listed = factories.OrganizationFactory(slug="klub-dortmund", country="DE")
    unlisted = [
        factories.OrganizationFactory(
            name=secret(f"Organizacija {status} "),
            slug=f"{MARKER.lower()}-{status}",
            status=status,
            approved_at=None,
            public_email=f"{MARKER.lower()}-{status}@org.example",
            description=secret("Opis "),
            status_reason=secret("Razlog "),
        )
        for status in ("draft", "pending", "rejected", "archived")
    ]

    held = timezone.now() - timedelta(days=30)
    published = factories.MeetingFactory(
        title="2. Diaspora Online Check-In",
        slug="2-check-in",
        status="held",
        starts_at=held,
        ends_at=held + timedelta(hours=1),
        video_url=f"https://meet.example/{MARKER}",
        staff_notes=secret("Napomena "),
    )
    meeting_services.add_agenda_item(
        meeting=published, by=None, title="Uvod", presenter=unlisted[1]
    )
    meeting_services.record_attendance(
        meeting=published, by=None, organization=listed, people=3, note=secret("Prisustvo ")
    )
    meeting_services.save_minutes(
        meeting=published,
        by=None,
        summaries={"bs": "Sažetak: *dogovoreno* je mnogo.", "en": "Summary in English."},
    )
    meeting_services.add_decision(meeting=published, by=None, text="Dogovoreno je: vodič.")
    meeting_services.add_action_item(
        meeting=published,
        by=None,
        text="Pripremiti vodič",
        responsible=listed,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    meeting_services.add_action_item(
        meeting=published, by=None, text="Pokrenuti kanal", responsible=None
    )
    # An organization that is not listed is named nowhere, not even as the one responsible.
    meeting_services.add_action_item(
        meeting=published, by=None, text="Poslati spisak", responsible=unlisted[2]
    )
    meeting_services.publish_minutes(meeting=published, by=None)

    withdrawn = _held_meeting(f"povucen-{MARKER.lower()}", days=20)
    meeting_services.save_minutes(meeting=withdrawn, by=None, summaries={"bs": secret()})
    meeting_services.add_decision(meeting=withdrawn, by=None, text=secret())
    meeting_services.publish_minutes(meeting=withdrawn, by=None)
    meeting_services.unpublish_minutes(meeting=withdrawn, by=None, reason=secret())
    draft_minutes = _held_meeting(f"nacrt-{MARKER.lower()}", days=10)
    meeting_services.save_minutes(meeting=draft_minutes, by=None, summaries={"bs": secret()})
    factories.MeetingFactory(slug=f"buduci-{MARKER.lower()}", title=secret("Budući "))
    factories.MeetingFactory(slug=f"skica-{MARKER.lower()}", title=secret(), status="draft")
    return {
        "listed": [listed, other_listed],
        "unlisted": unlisted,
        "published": [published],
    }


def _held_meeting(slug: str, *, days: int):
    starts = timezone.now() - timedelta(days=days)
    return factories.MeetingFactory(
        slug=slug,
        title=secret("Sastanak "),
        status="held",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )


def read_csv(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def all_texts(value) -> list[str]:
    """Every key and scalar of a JSON value, as text."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [key, *all_texts(item)]]
    if isinstance(value, list):
        return [text for item in value for text in all_texts(item)]
    return [json.dumps(value) if not isinstance(value, str) else value]


def csv_cells(path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as source:
        return [cell for row in csv.reader(io.StringIO(source.read())) for cell in row]
