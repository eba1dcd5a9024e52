"""Demo onboarding material: a guide to the portal and one to the community channel, bs and en.

Idempotent: keyed by topic and language, running seed_demo again updates the guides.
"""

from .models import Guide

GUIDES = [
    (
        Guide.Topic.WORKSPACE,
        "bs",
        1,
        "Vodič kroz Portal dijaspore",
        """Portal dijaspore je zajednički radni prostor **Sektora za iseljeništvo** i organizacija
dijaspore.

## Prvi koraci

1. Dopunite profil organizacije: opis, oblasti djelovanja, kanale i kontakt-osobe.
2. Pozovite kolege iz organizacije na stranici *Članovi*.
3. Odgovorite na poziv za sljedeći redovni sastanak.

## Profil

Javni dio profila vidi svako u imeniku organizacija. Kontakt-osobe su vidljive samo
ministarstvu i administratorima, osim ako ih označite kao javne.
""",
    ),
    (
        Guide.Topic.WORKSPACE,
        "en",
        1,
        "A guide to the Diaspora Portal",
        """The Diaspora Portal is the shared workspace of the **Sector for Diaspora** and the
diaspora organizations.

## First steps

1. Complete your organization's profile: description, areas of activity, channels and contact
   persons.
2. Invite colleagues from your organization on the *Members* page.
3. Answer the invitation to the next check-in meeting.

## The profile

Everyone sees the public part of the profile in the directory. Contact persons are seen only by
the ministry and your admins, unless you mark them as public.
""",
    ),
    (
        Guide.Topic.COMMUNITY,
        "bs",
        2,
        "Zajednica na WhatsAppu",
        """Ministarstvo vodi **WhatsApp zajednicu** organizacija dijaspore: obavještenja o
sastancima, pozivi za projekte i brza razmjena iskustava.

- Link za pridruživanje nalazite na listi prvih koraka vaše organizacije.
- Pišite s poštovanjem; lične podatke drugih ne dijelite.
- Važne odluke uvijek se objavljuju i na portalu.
""",
    ),
    (
        Guide.Topic.COMMUNITY,
        "en",
        2,
        "The WhatsApp community",
        """The ministry runs a **WhatsApp community** of diaspora organizations: news about
meetings, calls for projects and a quick exchange of experience.

- The link to join is on your organization's first-steps checklist.
- Write respectfully; do not share other people's personal data.
- Important decisions are always published on the portal as well.
""",
    ),
]


def ensure_demo_guides() -> None:
    for topic, language, position, title, body in GUIDES:
        Guide.objects.update_or_create(
            topic=topic,
            language=language,
            defaults={"title": title, "body": body, "position": position, "is_published": True},
        )
