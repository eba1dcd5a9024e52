"""Demo meetings: the Diaspora Online Check-In series, with the meeting of 5 August 2020.

The second check-in, its agenda, its summary and its decisions come from the ministry's own
report of that meeting (in Bosnian); the English summary translates it. Idempotent, keyed by slug.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from core import search
from mail.models import OutgoingEmail
from organizations.models import Organization

from . import audiences, invitations
from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, Minutes, Series, Summary

SARAJEVO = ZoneInfo("Europe/Sarajevo")
SERIES_SLUG = "diaspora-online-check-in"
SERIES_NAME = "Diaspora Online Check-In"
SECOND_SLUG = "2-diaspora-online-check-in"
VIDEO_URL = "https://meet.example.org/diaspora-online-check-in"

FIRST = {
    "slug": "1-diaspora-online-check-in",
    "number": 1,
    "title": "1. Diaspora Online Check-In",
    "starts_at": datetime(2020, 7, 8, 18, 0, tzinfo=SARAJEVO),
    "ends_at": datetime(2020, 7, 8, 19, 0, tzinfo=SARAJEVO),
    "description": (
        "Prvi online susret Sektora za iseljeništvo i bosanskohercegovačkih organizacija iz "
        "dijaspore."
    ),
}
FIRST_SUMMARY = {
    "bs": (
        "Na prvom Diaspora Online Check-In sastanku Sektor za iseljeništvo Ministarstva za "
        "ljudska prava i izbjeglice BiH i organizacije iz dijaspore upoznali su se i razmijenili "
        "iskustva o radu u okolnostima pandemije. Dogovoreno je da se sastanci nastave, a na "
        "sljedećem sastanku razgovara o zajedničkom digitalnom radnom prostoru."
    ),
    "en": (
        "At the first Diaspora Online Check-In, the Sector for Diaspora of the BiH Ministry for "
        "Human Rights and Refugees and diaspora organizations got to know each other and shared "
        "how they work during the pandemic. They agreed to keep meeting and to discuss a shared "
        "digital workspace at the next meeting."
    ),
}

SECOND = {
    "slug": SECOND_SLUG,
    "number": 2,
    "title": "2. Diaspora Online Check-In",
    "starts_at": datetime(2020, 8, 5, 18, 0, tzinfo=SARAJEVO),
    "ends_at": datetime(2020, 8, 5, 19, 30, tzinfo=SARAJEVO),
    "description": (
        "Umrežavanje organizacija iz dijaspore i Ministarstva u cilju postavljanja temelja za "
        "buduću saradnju na zajedničkim projektima."
    ),
}
SECOND_AGENDA = [
    ("Predstavljanje i upoznavanje sudionika", "", 15, True),
    (
        "Digitalni Radni Prostor (Digital Workplace) – prezentacija aplikacije MURAL",
        "Virtualna oglasna ploča i radni prostor kao informativna tačka spajanja svih "
        "organizacija iz bosanskohercegovačke dijaspore.",
        30,
        False,
    ),
    ("Dodatni kanali komunikacije osim elektronske pošte", "", 20, False),
    ("Uključivanje ostalih organizacija iz dijaspore – Onboarding", "", 15, False),
    ("Razmjena mišljenja o aktuelnoj situaciji i sljedećim koracima", "", 10, True),
]
SECOND_SUMMARY = {
    "bs": """\
Dana 05.08.2020. godine, u organizaciji Ministarstva za ljudska prava i izbjeglice BiH, Sektora \
za iseljeništvo održan je drugi Diaspora Online Check-In. Sastanku su prisustvovale \
bosanskohercegovačke organizacije iz Njemačke, Danske, Švedske i Švicarske.

Ovog puta tema je bila umrežavanje organizacija iz Dijaspore i Ministarstva u cilju postavljanja \
temelja za buduću saradnju na zajedničkim projektima i informisanosti u vezi trenutnih \
aktivnosti i potencijalne pripreme, osmišljavanja i realizacije projektnih ideja organizacija iz \
dijaspore sa domovinom.

Uvodni dio sastanka je protekao u predstavljanju i upoznavanju sudionika. Konkretni početak \
dnevnog reda se odnosio na prezentaciju online alata naziva Digital Workplace – Digitalnog \
Radnog Prostora aplikacije pod nazivom MURAL, virtualne oglasne ploče i radnog prostora koja bi \
poslužila kao informativna tačka spajanja svih organizacija iz bosanskohercegovačke dijaspore i \
komunikacijska osnova za moguće projekte.

Sljedeća tema odnosila se na određivanje dodatnih kanala komunikacije osim elektronske pošte i \
svi sudionici su se složili da je potreban dnevni kanal komunikacije poput WhatsApp-a ili neke \
druge aplikacije. Unutar ove tematske oblasti pojavilo se i pitanje upoznavanja ostalih \
organizacija iz Dijaspore i njihovog aktivnog uključivanja u Digitalni Radni Prostor – Diaspora \
BiH, te je dogovoreno da se pripreme odgovarajući pomoćni materijali kako bi se olakšao proces \
pristupanja – Onboarding.

Umrežavanje i razmjena znanja, projektni prijedlozi, zajednička saradnja na projektima od \
značaja i koristi za Bosnu i Hercegovinu te bolja i uspješnija komunikacija organizacija i \
institucija Bosne i Hercegovine u svrhu ostvarivanja povezanosti dijaspore i domovine bile su \
poruke koje su se mogle čuti u razgovoru sudionika.

Dogovoreno je da se nastavi sa Diaspora Online Check-In sastancima i da se napravi poziv za \
druge organizacije kako bi se aktivno uključile i upoznale sa ovim i drugim digitalnim alatima, \
neophodnim za rad u okolnostima nemogućnosti fizičkih susreta.
""",
    "en": """\
On 5 August 2020 the Sector for Diaspora of the Ministry for Human Rights and Refugees of Bosnia \
and Herzegovina held the second Diaspora Online Check-In. Bosnian-Herzegovinian organizations \
from Germany, Denmark, Sweden and Switzerland took part.

This time the topic was networking between diaspora organizations and the Ministry, to lay the \
foundations for future cooperation on joint projects and to share information on current \
activities and on preparing, designing and carrying out project ideas of diaspora organizations \
together with the homeland.

The meeting opened with introductions. The agenda proper began with a presentation of the \
Digital Workplace, built with the MURAL application: a virtual noticeboard and workspace that \
would serve as an information point connecting all organizations of the BiH diaspora and as a \
communication base for possible projects.

The next topic was communication channels besides e-mail: all participants agreed that a daily \
channel such as WhatsApp or another application is needed. Within this topic the question of \
reaching other diaspora organizations and involving them in the Digital Workplace – Diaspora BiH \
came up, and it was agreed to prepare supporting materials that make joining easier \
(onboarding).

Networking and sharing knowledge, project proposals, joint work on projects that matter to \
Bosnia and Herzegovina, and better communication between organizations and the institutions of \
Bosnia and Herzegovina, connecting the diaspora and the homeland, were the messages heard in the \
conversation.

It was agreed to continue the Diaspora Online Check-In meetings and to call on other \
organizations to join and learn this and other digital tools, needed for working while meeting \
in person is not possible.
""",
}
SECOND_DECISIONS = [
    "Pripremiti pomoćne materijale za pristupanje Digitalnom Radnom Prostoru (Onboarding).",
    "Uspostaviti dnevni kanal komunikacije poput WhatsApp-a ili druge aplikacije.",
    "Nastaviti sa Diaspora Online Check-In sastancima.",
    "Uputiti poziv drugim organizacijama iz dijaspore da se uključe i upoznaju sa digitalnim "
    "alatima.",
]
# (text, index of the responsible attending organization or None for the ministry, due, status)
SECOND_ACTIONS = [
    ("Pripremiti materijale za pristupanje (Onboarding)", None, (2020, 9, 15), "done"),
    ("Uspostaviti dnevni kanal komunikacije (WhatsApp grupa)", 0, (2020, 8, 31), "done"),
    ("Zakazati sljedeći Diaspora Online Check-In", None, (2020, 9, 30), "done"),
    ("Pozvati druge organizacije iz dijaspore da se uključe", None, None, "open"),
]
ATTENDING_COUNTRIES = ["DE", "DK", "SE", "CH"]


def _attending_organizations() -> list[Organization]:
    found = []
    for country in ATTENDING_COUNTRIES:
        organization = (
            Organization.objects.filter(country=country, status=Organization.Status.APPROVED)
            .order_by("name", "pk")
            .first()
        )
        if organization is not None:
            found.append(organization)
    return found


def _meeting(series: Series, plan: dict, *, status: str) -> Meeting:
    meeting, _created = Meeting.objects.update_or_create(
        slug=plan["slug"],
        defaults={
            "series": series,
            "number": plan["number"],
            "kind": Meeting.Kind.CHECK_IN,
            "title": plan["title"],
            "description": plan["description"],
            "starts_at": plan["starts_at"],
            "ends_at": plan["ends_at"],
            "time_zone": "Europe/Sarajevo",
            "video_url": VIDEO_URL,
            "status": status,
        },
    )
    return meeting


def _minutes(meeting: Meeting, summaries: dict[str, str], published_at: datetime) -> Minutes:
    minutes, _created = Minutes.objects.update_or_create(
        meeting=meeting,
        defaults={
            "language": "bs",
            "status": Minutes.Status.PUBLISHED,
            "published_at": published_at,
        },
    )
    for language, text in summaries.items():
        Summary.objects.update_or_create(
            minutes=minutes, language=language, defaults={"text": text.strip()}
        )
    return minutes


def ensure_demo_meetings(*, now: datetime | None = None) -> list[Meeting]:
    """Create or update the demo series and its three check-ins; return them in order."""
    now = now or timezone.now()
    series, _created = Series.objects.update_or_create(
        slug=SERIES_SLUG, defaults={"name": SERIES_NAME}
    )
    attending = _attending_organizations()

    first = _meeting(series, FIRST, status=Meeting.Status.HELD)
    _minutes(first, FIRST_SUMMARY, FIRST["ends_at"] + timedelta(days=2))

    second = _meeting(series, SECOND, status=Meeting.Status.HELD)
    for position, (title, description, minutes_long, standing) in enumerate(SECOND_AGENDA):
        AgendaItem.objects.update_or_create(
            meeting=second,
            position=position,
            defaults={
                "title": title,
                "description": description,
                "duration_minutes": minutes_long,
                "is_standing": standing,
            },
        )
    for organization in attending:
        Attendance.objects.update_or_create(
            meeting=second, organization=organization, defaults={"people": 2}
        )
    minutes = _minutes(second, SECOND_SUMMARY, SECOND["ends_at"] + timedelta(days=3))
    for position, text in enumerate(SECOND_DECISIONS, start=1):
        Decision.objects.update_or_create(
            minutes=minutes, position=position, defaults={"text": text}
        )
    for position, (text, who, due, status) in enumerate(SECOND_ACTIONS, start=1):
        responsible = attending[who] if who is not None and who < len(attending) else None
        ActionItem.objects.update_or_create(
            meeting=second,
            position=position,
            defaults={
                "text": text,
                "responsible": responsible,
                "due_on": date(*due) if due else None,
                "status": status,
            },
        )

    day = (now + timedelta(days=14)).astimezone(SARAJEVO).date()
    third_plan = {
        "slug": "3-diaspora-online-check-in",
        "number": 3,
        "title": "3. Diaspora Online Check-In",
        "starts_at": datetime.combine(day, time(18, 0), tzinfo=SARAJEVO),
        "ends_at": datetime.combine(day, time(19, 30), tzinfo=SARAJEVO),
        "description": (
            "Predstavljanje materijala za pristupanje (Onboarding) i dnevnog kanala komunikacije."
        ),
    }
    third = Meeting.objects.filter(slug=third_plan["slug"]).first()
    if third is None or third.starts_at < now:
        third = _meeting(series, third_plan, status=Meeting.Status.SCHEDULED)
    for position, (title, _description, minutes_long, _standing) in enumerate(
        [SECOND_AGENDA[0], ("Materijali za pristupanje (Onboarding)", "", 30, False)]
    ):
        AgendaItem.objects.update_or_create(
            meeting=third,
            position=position,
            defaults={"title": title, "duration_minutes": minutes_long},
        )

    _invite_to_third(third, attending, now=now)

    meetings = [first, second, third]
    for meeting in meetings:
        search.refresh(meeting)
    return meetings


# (answer, people) of the organizations that attended the second check-in, in their order.
THIRD_ANSWERS = [("yes", 2), ("yes", 3), ("maybe", 1), ("no", None)]


def _invite_to_third(third: Meeting, attending: list[Organization], *, now: datetime) -> None:
    """Invite every approved organization to the upcoming check-in; some have answered."""
    if third.status != Meeting.Status.SCHEDULED or third.starts_at <= now:
        return
    # Every approved organization, remembered as the series' audience for the next one.
    audiences.invite_audiences(third, [audiences.Audience(everyone=True)], by=None)
    invitations.send_pending_invitations(meeting_id=third.pk)
    # The demo shows the invitations as a worker would have left them: sent.
    OutgoingEmail.objects.filter(
        pk__in=third.invitations.values("last_email"), status=OutgoingEmail.Status.QUEUED
    ).update(status=OutgoingEmail.Status.SENT, sent_at=now, next_attempt_at=None)
    for organization, (answer, people) in zip(attending, THIRD_ANSWERS, strict=False):
        invitation = third.invitations.filter(organization=organization).order_by("pk").first()
        if invitation is not None and not invitation.answer:
            invitations.record_answer(invitation, answer=answer, people=people, now=now)
