"""Demo data for the roster (seed_demo): a small taxonomy and two listed experts."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from core import search

from .models import Expert, Expertise

DEMO_FIELDS = [
    ("medicine", "Medicina", "Medicine"),
    ("engineering", "Inženjerstvo", "Engineering"),
    ("information-technology", "Informacione tehnologije", "Information technology"),
    ("research", "Nauka i istraživanje", "Research and science"),
    ("agriculture", "Poljoprivreda", "Agriculture"),
    ("law", "Pravo", "Law"),
    ("education", "Obrazovanje", "Education"),
    ("finance", "Finansije i investicije", "Finance and investment"),
    ("energy", "Energija i okoliš", "Energy and environment"),
]

DEMO_EXPERTS = [
    {
        "email": "dr.hodzic@strucnjaci.example",
        "full_name": "Dr. Lejla Hodžić",
        "headline": "Kardiologinja, Univerzitetska klinika Beč",
        "fields": ["medicine", "research"],
        "languages": ["bs", "de", "en"],
        "country": "AT",
        "availability": ["mentoring", "online_advice"],
        "bio": "Dvadeset godina u kardiologiji; rado savjetujem bolnice u BiH o telemedicini.",
        "visibility": Expert.Visibility.MEMBERS,
    },
    {
        "email": "e.mujic@strucnjaci.example",
        "full_name": "Emir Mujić",
        "headline": "Građevinski inženjer, vodoprivreda",
        "fields": ["engineering", "energy"],
        "languages": ["bs", "sv", "en"],
        "country": "SE",
        "availability": ["short_missions"],
        "bio": "Projekti vodosnabdijevanja u Švedskoj i regiji.",
        "visibility": Expert.Visibility.STAFF,
    },
]


def ensure_demo_fields() -> dict[str, Expertise]:
    fields = {}
    for position, (slug, bs, en) in enumerate(DEMO_FIELDS):
        fields[slug], _created = Expertise.objects.update_or_create(
            slug=slug, defaults={"names": {"bs": bs, "en": en}, "position": position}
        )
    return fields


def ensure_demo_experts() -> None:
    """The taxonomy and two experts (accounts without a usable password)."""
    fields = ensure_demo_fields()
    for data in DEMO_EXPERTS:
        user, created = User.objects.get_or_create(
            email=data["email"], defaults={"full_name": data["full_name"], "language": "bs"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=data["email"], defaults={"verified": True, "primary": True}
        )
        expert, _created = Expert.objects.update_or_create(
            user=user,
            defaults={
                key: data[key]
                for key in ("headline", "languages", "country", "availability", "bio")
            }
            | {
                "visibility": data["visibility"],
                "consent_at": timezone.now(),
                "consent_version": settings.EXPERTS_CONSENT_VERSION,
                "consent_language": "bs",
            },
        )
        chosen = [fields[slug] for slug in data["fields"]]
        expert.expertise.set(chosen)
        search.refresh(expert)
