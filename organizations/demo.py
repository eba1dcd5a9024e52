"""Demo registry for the embedded default and for trying the portal out.

About 150 organizations across the diaspora's host countries, deterministic (a seeded random) and
idempotent (keyed by slug): running seed_demo again updates them instead of adding more.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core import search

from .models import Area, CommunicationChannel, ContactPerson, Membership, Organization

DEMO_ORG_ADMIN_EMAIL = "organizacija@diaspora-portal.example"
DEMO_ORG_ADMIN_PASSWORD = "dijaspora-org-2026"  # noqa: S105 - the DEBUG-only demo account
DEMO_ORG_SLUG = "udruzenje-bosanaca-i-hercegovaca-ljiljan-minhen"

# slug, then the name in Bosnian, Croatian, Serbian (Latin) and English; Serbian Cyrillic readers
# get the Serbian name transliterated.
AREAS = [
    ("kultura", "Kultura i umjetnost", "Kultura i umjetnost", "Kultura i umetnost",
     "Culture and the arts"),
    ("obrazovanje", "Obrazovanje i dopunska nastava", "Obrazovanje i dopunska nastava",
     "Obrazovanje i dopunska nastava", "Education and supplementary schooling"),
    ("mladi", "Mladi", "Mladi", "Mladi", "Youth"),
    ("sport", "Sport i rekreacija", "Sport i rekreacija", "Sport i rekreacija",
     "Sport and recreation"),
    ("humanitarni-rad", "Humanitarni rad", "Humanitarni rad", "Humanitarni rad",
     "Humanitarian work"),
    ("privreda", "Privreda i investicije", "Gospodarstvo i ulaganja", "Privreda i investicije",
     "Business and investment"),
    ("nauka", "Nauka i stručnjaci", "Znanost i stručnjaci", "Nauka i stručnjaci",
     "Science and professionals"),
    ("mediji", "Mediji i informisanje", "Mediji i informiranje", "Mediji i informisanje",
     "Media and information"),
    ("zene", "Žene", "Žene", "Žene", "Women"),
    ("integracija", "Integracija i socijalna podrška", "Integracija i socijalna potpora",
     "Integracija i socijalna podrška", "Integration and social support"),
    ("zdravstvo", "Zdravlje i zdravstvo", "Zdravlje i zdravstvo", "Zdravlje i zdravstvo",
     "Health and healthcare"),
    ("saradnja-s-bih", "Saradnja s BiH i povratak", "Suradnja s BiH i povratak",
     "Saradnja sa BiH i povratak", "Cooperation with BiH and return"),
]  # fmt: skip

# Country, its cities (as the diaspora writes them), and how many organizations it gets.
COUNTRIES = [
    ("DE", ["Minhen", "Berlin", "Frankfurt", "Stuttgart", "Hamburg", "Dortmund", "Köln"], 30),
    ("AT", ["Beč", "Linz", "Salzburg", "Graz", "Innsbruck"], 20),
    ("CH", ["Cirih", "Bazel", "Bern", "Ženeva", "Luzern"], 14),
    ("SE", ["Stockholm", "Göteborg", "Malmö", "Växjö", "Jönköping"], 16),
    ("DK", ["Kopenhagen", "Odense", "Aarhus", "Vejle"], 10),
    ("NO", ["Oslo", "Bergen", "Trondheim", "Stavanger"], 8),
    ("NL", ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag"], 8),
    ("SI", ["Ljubljana", "Jesenice", "Velenje", "Kranj"], 10),
    ("HR", ["Zagreb", "Rijeka", "Split", "Đakovo"], 6),
    ("IT", ["Trst", "Milano", "Rim"], 5),
    ("US", ["St. Louis", "Chicago", "Atlanta", "Utica", "Jacksonville"], 12),
    ("CA", ["Toronto", "Hamilton", "Vancouver"], 5),
    ("AU", ["Melbourne", "Sydney", "Perth"], 5),
    ("BE", ["Brisel", "Antwerpen"], 2),
    ("FR", ["Pariz", "Lyon"], 2),
    ("GB", ["London", "Birmingham"], 2),
    ("TR", ["Istanbul", "Bursa"], 2),
]

SYMBOLS = [
    "Ljiljan",
    "Sevdah",
    "Most",
    "Behar",
    "Stećak",
    "Bosna",
    "Neretva",
    "Drina",
    "Una",
    "Ćuprija",
    "Đulistan",
    "Zambak",
    "Kapija",
    "Šeher",
    "Izvor",
    "Sloga",
]
HOMETOWNS = [
    "Đakovo",
    "Živinice",
    "Bihać",
    "Zenica",
    "Tuzla",
    "Mostar",
    "Prijedor",
    "Srebrenica",
    "Goražde",
    "Žepče",
    "Čapljina",
    "Doboj",
    "Bijeljina",
    "Cazin",
    "Travnik",
    "Višegrad",
]

# Name pattern and kind; {s} a symbol, {c} the host city, {h} a hometown in BiH.
PATTERNS = [
    ("Udruženje Bosanaca i Hercegovaca „{s}“ {c}", "association", ["kultura", "integracija"]),
    ("Džemat {h} {c}", "religious", ["kultura", "humanitarni-rad"]),
    ("KUD „{s}“ {c}", "cultural", ["kultura", "mladi"]),
    ("Bosanskohercegovački kulturni centar {c}", "cultural", ["kultura", "obrazovanje"]),
    ("Nogometni klub „{s}“ {c}", "sports", ["sport", "mladi"]),
    ("Udruženje studenata iz BiH {c}", "student", ["obrazovanje", "mladi", "nauka"]),
    ("Zavičajno udruženje {h} u dijaspori – {c}", "association", ["saradnja-s-bih"]),
    ("Mreža bh. stručnjaka {c}", "professional", ["nauka", "privreda"]),
    ("Bh. poslovni klub {c}", "business", ["privreda", "saradnja-s-bih"]),
    ("Humanitarna organizacija „{s}“ {c}", "humanitarian", ["humanitarni-rad", "zdravstvo"]),
    ("Udruženje žena „{s}“ {c}", "association", ["zene", "integracija"]),
    ("Radio „{s}“ – glas dijaspore {c}", "media", ["mediji"]),
    ("Dopunska škola bosanskog jezika {c}", "association", ["obrazovanje", "mladi"]),
]

DESCRIPTIONS = [
    "Okupljamo porodice iz **Bosne i Hercegovine** u gradu {c} od {y}. godine.\n\n"
    "- sedmična druženja i kulturne večeri\n- pomoć novopridošlima\n- saradnja s općinom {h}",
    "Naš cilj je očuvanje jezika, kulture i tradicije među mladima rođenim u dijaspori. "
    "Organizujemo *dopunsku nastavu*, izlete i ljetni kamp u BiH.",
    "Humanitarne akcije za porodice u BiH, prikupljanje pomoći i podrška projektima u "
    "općini {h}. Sve akcije objavljujemo na našoj stranici.",
    "Sportske aktivnosti za djecu i odrasle, turniri dijaspore i saradnja s klubovima iz "
    "domovine. Treninzi dva puta sedmično.",
    "Povezujemo bh. stručnjake (ljekare, inženjere, informatičare) iz grada {c} s "
    "institucijama i firmama u BiH: mentorstvo, prakse, zajednički projekti.",
]

ROLES = ["Predsjednik", "Predsjednica", "Sekretar", "Sekretarica", "Blagajnik", "Koordinatorica"]
FIRST_NAMES = [
    "Amra",
    "Emir",
    "Jasmina",
    "Dženan",
    "Selma",
    "Mirza",
    "Lejla",
    "Haris",
    "Ajla",
    "Nedim",
    "Ivana",
    "Dragan",
    "Mirela",
    "Goran",
    "Šejla",
    "Đorđe",
]
LAST_NAMES = [
    "Hodžić",
    "Begić",
    "Kovačević",
    "Mehmedović",
    "Softić",
    "Jukić",
    "Čolić",
    "Đapo",
    "Hadžić",
    "Petrović",
    "Šabić",
    "Mujić",
    "Karić",
    "Marić",
]
LANGUAGES = {"DE": "de", "AT": "de", "CH": "de", "SE": "sv", "DK": "da", "NO": "no", "NL": "nl"}
CHANNEL_KINDS = ["whatsapp", "viber", "facebook", "instagram", "telegram", "signal", "newsletter"]


def ensure_demo_areas() -> dict[str, Area]:
    """Create or update the demo taxonomy of areas; return them by slug."""
    areas = {}
    for position, (slug, bs, hr, sr_latn, en) in enumerate(AREAS):
        names = {"bs": bs, "hr": hr, "sr-latn": sr_latn, "en": en}
        areas[slug], _created = Area.objects.update_or_create(
            slug=slug, defaults={"names": names, "position": position}
        )
    return areas


def _status(rng: random.Random, n: int) -> str:
    if n == 0:
        return Organization.Status.APPROVED
    roll = rng.random()
    if roll < 0.06:
        return Organization.Status.PENDING
    if roll < 0.09:
        return Organization.Status.DRAFT
    if roll < 0.11:
        return Organization.Status.REJECTED
    if roll < 0.13:
        return Organization.Status.ARCHIVED
    return Organization.Status.APPROVED


def _plan(rng: random.Random) -> list[dict]:
    """Every demo organization's fields, in a fixed order."""
    plans, seen, slugs = [], set(), set()
    for code, cities, count in COUNTRIES:
        for i in range(count):
            city = cities[i % len(cities)]
            for _attempt in range(20):
                pattern, kind, area_slugs = rng.choice(PATTERNS)
                name = pattern.format(s=rng.choice(SYMBOLS), c=city, h=rng.choice(HOMETOWNS))
                if name not in seen:
                    break
            if not plans:
                name, kind = "Udruženje Bosanaca i Hercegovaca „Ljiljan“ Minhen", "association"
                area_slugs = ["kultura", "integracija"]
            seen.add(name)
            slug = base = slugify(search.fold(name))[:100]
            while slug in slugs:
                slug = f"{base}-{len(slugs)}"
            slugs.add(slug)
            year = rng.randint(1993, 2022)
            plans.append(
                {
                    "slug": slug,
                    "name": name,
                    "kind": kind,
                    "country": code,
                    "city": city,
                    "founding_year": year,
                    "areas": area_slugs,
                    "description": rng.choice(DESCRIPTIONS).format(
                        c=city, y=year, h=rng.choice(HOMETOWNS)
                    ),
                    "status": _status(rng, len(plans)),
                    "languages": ["bs", LANGUAGES.get(code, "en")],
                    "size": rng.choice(["1-20", "21-100", "21-100", "101-500", "500+", ""]),
                    # A fifth are stale: unconfirmed for over a year, half of those dormant.
                    "stale": len(plans) % 5 == 4,
                    "dormant": len(plans) % 10 == 9,
                    "verified": rng.random() < 0.45,
                    "age_days": rng.randint(5, 300),
                }
            )
    return plans


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def ensure_demo_organizations() -> int:
    """Create or update the demo organizations (and in DEBUG a demo admin); return how many."""
    rng = random.Random(2020_08_05)  # noqa: S311 - demo data, not security
    areas = ensure_demo_areas()
    plans = _plan(rng)
    now = timezone.now()
    for plan in plans:
        slug = plan.pop("slug")
        confirmed = now - timedelta(days=plan["age_days"] + (400 if plan.pop("stale") else 0))
        dormant = plan.pop("dormant")
        verified = plan.pop("verified")
        area_slugs = plan.pop("areas")
        plan.pop("age_days")
        approved = plan["status"] in (Organization.Status.APPROVED, Organization.Status.ARCHIVED)
        domain = f"{slug[:40]}.example"
        organization, _created = Organization.objects.update_or_create(
            slug=slug,
            defaults={
                **plan,
                "website": f"https://{domain}",
                "public_email": f"info@{domain}",
                "public_phone": "",
                "approved_at": confirmed if approved else None,
                "verified_at": confirmed if verified and approved else None,
                "last_confirmed_at": confirmed,
                "dormant_since": confirmed + timedelta(days=395) if dormant else None,
                "nudges_sent": 2 if dormant else 0,
                "status_reason": "Nedostaje izvod iz registra udruženja."
                if plan["status"] == Organization.Status.REJECTED
                else "",
            },
        )
        organization.areas.set([areas[s] for s in area_slugs])
        _ensure_channels_and_contacts(organization, rng)
    if settings.DEBUG:
        ensure_demo_org_admin()
    return len(plans)


def _ensure_channels_and_contacts(organization: Organization, rng: random.Random) -> None:
    kinds = rng.sample(CHANNEL_KINDS, k=rng.randint(1, 3))
    organization.channels.all().delete()
    for position, kind in enumerate(kinds):
        CommunicationChannel.objects.create(
            organization=organization,
            kind=kind,
            value=f"https://{kind}.example/{organization.slug[:40]}",
            visibility="members" if position == 1 else "public",
            position=position,
        )
    organization.contacts.all().delete()
    for position in range(rng.randint(1, 2)):
        name = _person(rng)
        ContactPerson.objects.create(
            organization=organization,
            name=name,
            role=rng.choice(ROLES),
            email=f"kontakt{position + 1}@{organization.slug[:40]}.example",
            phone=f"+49 30 {rng.randint(1000000, 9999999)}",
            is_public=position == 0 and rng.random() < 0.5,
            position=position,
        )


def ensure_demo_org_admin() -> User:
    """The demo admin of the first demo organization; DEBUG only, with a known password."""
    user, created = User.objects.get_or_create(
        email=DEMO_ORG_ADMIN_EMAIL, defaults={"full_name": "Emir Demo", "language": "bs"}
    )
    if created:
        user.set_password(DEMO_ORG_ADMIN_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=DEMO_ORG_ADMIN_EMAIL, defaults={"verified": True, "primary": True}
    )
    organization = Organization.objects.get(slug=DEMO_ORG_SLUG)
    Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": Membership.Role.ADMIN}
    )
    return user
