"""The benchmark's Django side: seed the bench database, count queries, log staff in, queue mail.

Run by bench/run.py in a process of its own with the bench database's environment:

    python bench/seed.py seed --organizations 10000
    python bench/seed.py queries PATH...     # {path: query count} through the test client
    python bench/seed.py session             # a staff session cookie that passed TOTP
    python bench/seed.py queue-emails 5000   # queue outbox rows; their messages go to the broker

Each command prints one JSON line last. Everything is written with bulk operations.
"""

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from meetings.models import (  # noqa: E402
    ActionItem,
    AgendaItem,
    Decision,
    Invitation,
    Meeting,
    Minutes,
    Series,
    Summary,
)
from onboarding.models import Registration  # noqa: E402
from organizations import demo  # noqa: E402
from organizations.models import (  # noqa: E402
    CommunicationChannel,
    ContactPerson,
    Organization,
)

STAFF_EMAIL = "bench-staff@diaspora-portal.example"
AGENDA = [
    "Uvod i predstavljanje učesnika",
    "Iskustva organizacija iz dijaspore",
    "Digitalni radni prostor: prijedlozi",
    "Saradnja s općinama u BiH",
    "Zaključci i sljedeći koraci",
]


def seed_organizations(start: int, stop: int, areas: list) -> None:
    """Add organizations number ``start`` to ``stop``: every status, areas, channels, contacts."""
    rng = random.Random(start)  # noqa: S311 - benchmark data
    now = timezone.now()
    organizations = []
    for n in range(start, stop):
        code, cities, _weight = demo.COUNTRIES[n % len(demo.COUNTRIES)]
        city = cities[n % len(cities)]
        pattern, kind, _areas = demo.PATTERNS[n % len(demo.PATTERNS)]
        name = pattern.format(s=rng.choice(demo.SYMBOLS), c=city, h=rng.choice(demo.HOMETOWNS))
        status = demo._status(rng, n)
        approved = status in (Organization.Status.APPROVED, Organization.Status.ARCHIVED)
        organization = Organization(
            name=f"{name} {n}",
            slug=f"bench-{n}",
            kind=kind,
            country=code,
            city=city,
            founding_year=rng.randint(1993, 2022),
            website=f"https://bench-{n}.example",
            public_email=f"info@bench-{n}.example",
            description=rng.choice(demo.DESCRIPTIONS).format(
                c=city, y=2000, h=rng.choice(demo.HOMETOWNS)
            ),
            languages=["bs", demo.LANGUAGES.get(code, "en")],
            status=status,
            approved_at=now - timedelta(days=n % 300) if approved else None,
            staff_notes="Interna bilješka ministarstva." if n % 7 == 0 else "",
        )
        organization.refresh_search_fields()
        organizations.append(organization)
    created = Organization.objects.bulk_create(organizations, batch_size=1000)
    through = Organization.areas.through
    links, channels, contacts = [], [], []
    for i, organization in enumerate(created):
        for area in {areas[i % len(areas)], areas[(i * 7 + 3) % len(areas)]}:
            links.append(through(organization_id=organization.pk, area_id=area.pk))
        for position, kind in enumerate(demo.CHANNEL_KINDS[i % 5 : i % 5 + 2]):
            channels.append(
                CommunicationChannel(
                    organization=organization,
                    kind=kind,
                    value=f"https://{kind}.example/bench-{organization.pk}",
                    visibility="members" if position else "public",
                    position=position,
                )
            )
        contacts.append(
            ContactPerson(
                organization=organization,
                name=f"{rng.choice(demo.FIRST_NAMES)} {rng.choice(demo.LAST_NAMES)}",
                role=rng.choice(demo.ROLES),
                email=f"kontakt@bench-{organization.pk}.example",
                phone=f"+49 30 {rng.randint(1000000, 9999999)}",
                is_public=i % 3 == 0,
            )
        )
    through.objects.bulk_create(links, batch_size=5000)
    CommunicationChannel.objects.bulk_create(channels, batch_size=5000)
    ContactPerson.objects.bulk_create(contacts, batch_size=5000)


def seed_meetings(count: int) -> None:
    """``count`` meetings with agendas; the past ones held, with published minutes."""
    series, _created = Series.objects.get_or_create(
        slug="diaspora-online-check-in", defaults={"name": "Diaspora Online Check-In"}
    )
    now = timezone.now()
    upcoming = max(1, count // 20)
    meetings = []
    for n in range(count):
        starts = now + timedelta(days=7 * (n - (count - upcoming)) + 3, hours=n % 5)
        meetings.append(
            Meeting(
                series=series,
                number=n + 1,
                title=f"{n + 1}. Diaspora Online Check-In",
                slug=f"bench-sastanak-{n + 1}",
                description="Redovni sastanak Sektora za dijasporu s organizacijama.",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
                time_zone="Europe/Sarajevo",
                video_url="https://meet.example.org/check-in",
                status=Meeting.Status.SCHEDULED if starts > now else Meeting.Status.HELD,
                search_document=f" {n + 1} diaspora online check in redovni sastanak",
            )
        )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=1000)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=m, position=p, title=title, duration_minutes=15)
            for m in meetings
            for p, title in enumerate(AGENDA)
        ],
        batch_size=5000,
    )
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    minutes = Minutes.objects.bulk_create(
        [
            Minutes(meeting=m, language="bs", status="published", published_at=m.ends_at)
            for m in held
        ],
        batch_size=1000,
    )
    Summary.objects.bulk_create(
        [
            Summary(minutes=mi, language=lang, text=text)
            for mi in minutes
            for lang, text in (
                (
                    "bs",
                    "Dogovoreno je da se nastavi sa redovnim sastancima i digitalnom saradnjom.",
                ),
                ("en", "It was agreed to continue regular meetings and digital cooperation."),
            )
        ],
        batch_size=5000,
    )
    Decision.objects.bulk_create(
        [
            Decision(minutes=mi, position=p, text=f"Dogovoreno je: korak {p + 1}.")
            for mi in minutes
            for p in range(3)
        ],
        batch_size=5000,
    )
    organizations = list(
        Organization.objects.filter(status="approved").values_list("pk", flat=True)[:500]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=m,
                text="Pripremiti prijedlog zajedničkog projekta.",
                responsible_id=organizations[i % len(organizations)] if i % 2 else None,
                due_on=(m.starts_at + timedelta(days=30)).date(),
                status="done" if i % 3 else "open",
                position=i % 2,
            )
            for i, m in enumerate(held * 2)
        ],
        batch_size=5000,
    )


def seed_invitations(count: int) -> None:
    """``count`` invitations spread over the meetings, answered (with headcounts and some
    comments) for the held ones, as a year of fan-outs and RSVPs leaves them."""
    import hashlib

    meetings = list(Meeting.objects.values_list("pk", "status"))
    organizations = list(
        Organization.objects.filter(status="approved").values_list("pk", flat=True)[:500]
    )
    per_meeting = max(1, count // max(1, len(meetings)))
    now = timezone.now()
    answers = ["yes", "yes", "no", "maybe", ""]
    rows = []
    for m, (meeting_id, status) in enumerate(meetings):
        held = status == Meeting.Status.HELD
        for i in range(per_meeting):
            n = m * per_meeting + i
            answer = answers[n % len(answers)] if held else ("yes" if n % 4 == 0 else "")
            rows.append(
                Invitation(
                    meeting_id=meeting_id,
                    organization_id=organizations[i % len(organizations)],
                    email=f"kontakt{i}@bench-{i % len(organizations)}.example",
                    language="bs" if n % 3 else "en",
                    token_hash=hashlib.sha256(f"bench-{n}".encode()).hexdigest(),
                    answer=answer,
                    people=(n % 4) + 1 if answer == "yes" else None,
                    comment="Dolazimo, hvala na pozivu." if answer and n % 7 == 0 else "",
                    answered_at=now if answer else None,
                    mailed_at=now,
                    mailed_sequence=0,
                )
            )
        if len(rows) >= 20_000:
            Invitation.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Invitation.objects.bulk_create(rows, batch_size=5000)


def seed_drafts(count: int) -> None:
    """``count`` users, each with a registration saved at its first steps."""
    users = User.objects.bulk_create(
        [
            User(email=f"nacrt{n}@bench.example", full_name=f"Nacrt {n}", password="!")  # noqa: S106 - unusable
            for n in range(count)
        ],
        batch_size=1000,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                user=user,
                step="contacts" if n % 2 else "basics",
                data={"basics": {"name": f"Udruženje „Đulbašta“ {n}", "country": "SE"}},
            )
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )


def seed_sent_emails(count: int) -> None:
    """``count`` sent invitation e-mails in the outbox, as a year of fan-outs leaves them."""
    from mail.models import OutgoingEmail

    now = timezone.now()
    OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                to=f"info@bench-{n % 10000}.example",
                from_email="portal@diaspora-portal.example",
                subject=f"Poziv: {n % 1000 + 1}. Diaspora Online Check-In",
                body_text="Poštovani, pozivamo vas na sastanak.\n",
                language="bs",
                template="meetings/emails/invitation",
                status=OutgoingEmail.Status.SENT,
                attempts=1,
                sent_at=now - timedelta(minutes=n % 50000),
            )
            for n in range(count)
        ],
        batch_size=5000,
    )


def vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def staff_user():
    from accounts.services import make_ministry_staff
    from tests.factories import PASSWORD, activate_totp

    user = User.objects.filter(email=STAFF_EMAIL).first()
    if user is None:
        from allauth.account.models import EmailAddress

        user = User.objects.create_user(email=STAFF_EMAIL, password=PASSWORD)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        make_ministry_staff(user=user)
        user.totp_secret = activate_totp(user)
        Path(os.environ["BENCH_TOTP_FILE"]).write_text(user.totp_secret)
    else:
        user.totp_secret = Path(os.environ["BENCH_TOTP_FILE"]).read_text()
    return user


def client() -> Client:
    return Client(
        HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", **{"wsgi.url_scheme": "https"}
    )


def staff_client() -> Client:
    from tests.factories import log_in_with_totp

    # One login per run: a TOTP code is accepted once, and the bench logs in more often than
    # codes change.
    saved = Path(os.environ["BENCH_TOTP_FILE"]).with_suffix(".session")
    c = client()
    if saved.exists():
        c.cookies["sessionid"] = saved.read_text()
        return c
    user = staff_user()
    log_in_with_totp(c, user, user.totp_secret)
    saved.write_text(c.cookies["sessionid"].value)
    return c


def count_queries(paths: list[str]) -> dict[str, int]:
    """Queries of building each page: the anonymous page cache is off here (the timings are
    measured with it on, as production runs)."""
    settings.PAGE_CACHE_SECONDS = 0
    anonymous, staff = client(), staff_client()
    counts = {}
    for path in paths:
        c = staff if path.startswith("/staff/") else anonymous
        c.get(path)  # warm caches, as a running server has them
        with CaptureQueriesContext(connection) as queries:
            response = c.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[path] = len(queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("args", nargs="*")
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--drafts", type=int, default=500)
    parser.add_argument("--emails", type=int, default=100_000)
    parser.add_argument("--invitations", type=int, default=100_000)
    options = parser.parse_args()
    result = {}
    if options.command == "seed":
        areas = list(demo.ensure_demo_areas().values())
        with transaction.atomic():
            seed_organizations(options.start, options.organizations, areas)
            if options.start == 0:
                seed_meetings(options.meetings)
                seed_drafts(options.drafts)
                seed_invitations(options.invitations)
                seed_sent_emails(options.emails)
                staff_user()
        vacuum()
        first = Organization.objects.filter(status="approved").order_by("pk").first()
        summary = Meeting.objects.filter(minutes__status="published").order_by("-pk").first()
        result = {"profile": first.get_absolute_url(), "summary": summary.get_absolute_url()}
    elif options.command == "queries":
        result = count_queries(options.args)
    elif options.command == "session":
        result = {"sessionid": staff_client().cookies["sessionid"].value}
    elif options.command == "queue-emails":
        from mail.services import queue_rendered_email

        tag = options.args[1] if len(options.args) > 1 else "bench"
        for chunk in range(0, int(options.args[0]), 500):
            with transaction.atomic():
                for n in range(chunk, min(chunk + 500, int(options.args[0]))):
                    queue_rendered_email(
                        to=f"info@bench-{n}.example",
                        subject=f"Poziv {tag} {n}: Diaspora Online Check-In",
                        body_text="Poštovani, pozivamo vas na sastanak.\n",
                        language="bs",
                    )
    print(json.dumps(result))  # noqa: T201


if __name__ == "__main__":
    main()
