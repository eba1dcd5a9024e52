"""Demo noticeboard: a dozen posts in Bosnian with interested and accepted partners.

Idempotent (keyed by title): running seed_demo again updates the posts instead of adding more.
Needs the demo registry (organizations.demo) to be in place first.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from organizations.models import Area, Organization

from .models import FocalPoint, Interest, Post, StageChange

DEMO_FOCAL_POINT_EMAIL = "opcina@diaspora-portal.example"
DEMO_FOCAL_POINT_PASSWORD = "dijaspora-opcina-2026"  # noqa: S105 - the DEBUG-only demo account
DEMO_MUNICIPALITY = "Općina Zenica"

MUNICH = "udruzenje-bosanaca-i-hercegovaca-ljiljan-minhen"
VIENNA = "kud-kapija-bec"
STOCKHOLM = "udruzenje-zena-ljiljan-stockholm"
GOTHENBURG = "bosanskohercegovacki-kulturni-centar-goteborg"
AARHUS = "dopunska-skola-bosanskog-jezika-aarhus"
HAMBURG = "mreza-bh-strucnjaka-hamburg"
STUTTGART = "bh-poslovni-klub-stuttgart"
UTRECHT = "bh-poslovni-klub-utrecht"
BERN = "udruzenje-bosanaca-i-hercegovaca-kapija-bern"
ST_LOUIS = "radio-sevdah-glas-dijaspore-st-louis"

K = Post.Kind
S = Post.Stage

# title, kind, author (organization slug, "ministry" or "municipality"), country, city, areas,
# deadline in days (or None), stage, body, extra fields, interested [(slug, message, accepted)].
POSTS = [
    (
        "Ljetna škola za djecu iz dijaspore u Sarajevu",
        K.PROJECT_IDEA,
        AARHUS,
        "BA",
        "Sarajevo",
        ["obrazovanje", "mladi", "kultura"],
        60,
        S.OPEN,
        "Želimo organizovati **dvosedmičnu ljetnu školu** za djecu od 9 do 14 godina iz "
        "dijaspore: bosanski jezik, historija, izleti na Vrelo Bosne i u Stari grad.\n\n"
        "Tražimo partnere iz drugih zemalja koji bi poslali grupu djece, te školu ili udruženje "
        "u Sarajevu za smještaj i nastavu.",
        {"contact_name": "Amela Hodžić", "contact_email": "skola@dopunska-aarhus.example"},
        [
            (STOCKHOLM, "Možemo poslati grupu od 15 djece i dvije nastavnice.", True),
            (BERN, "Zanima nas, imamo desetak porodica koje bi se prijavile.", False),
        ],
    ),
    (
        "Poziv za partnere: Poslovni forum dijaspore 2026",
        K.CALL_FOR_PARTNERS,
        STUTTGART,
        "BA",
        "Mostar",
        ["privreda", "saradnja-s-bih"],
        45,
        S.PARTNER_FOUND,
        "Organizujemo **Poslovni forum dijaspore** u Mostaru u septembru. Tražimo "
        "poslovne klubove i mreže stručnjaka koji bi suorganizovali panele o ulaganjima, "
        "IT sektoru i poljoprivredi.",
        {"contact_name": "Adnan Begić", "contact_email": "forum@bh-klub-stuttgart.example"},
        [
            (UTRECHT, "Preuzimamo panel o IT sektoru i dovodimo pet kompanija.", True),
            (HAMBURG, "Naša mreža inženjera može voditi panel o energetici.", True),
        ],
    ),
    (
        "Molba za pomoć: poplave u Maglaju",
        K.REQUEST_FOR_HELP,
        "ministry",
        "BA",
        "Maglaj",
        ["humanitarni-rad"],
        14,
        S.OPEN,
        "Nakon poplava porodicama u Maglaju i okolini potrebni su **isušivači zraka**, "
        "građevinski materijal i novčana pomoć. Udruženja koja prikupljaju pomoć molimo da se "
        "jave kako bismo uskladili prevoz.",
        {"contact_name": "Sektor za dijasporu", "contact_email": "dijaspora@mhrr.example"},
        [],
    ),
    (
        "Općina Zenica traži investitore za poslovnu zonu Zenica-Sjever",
        K.HOMELAND_CALL,
        "municipality",
        "BA",
        "Zenica",
        ["privreda", "saradnja-s-bih"],
        90,
        S.IN_PROGRESS,
        "Općina nudi parcele u poslovnoj zoni **Zenica-Sjever** pod povoljnim uslovima za "
        "investitore iz dijaspore: komunalna infrastruktura, oslobađanje od naknada na tri "
        "godine i podrška pri zapošljavanju.",
        {"seeking": Post.Seeking.INVESTORS, "contact_email": "dijaspora@zenica.example"},
        [(STUTTGART, "Dvije naše firme razmatraju proizvodni pogon.", True)],
    ),
    (
        "Javni poziv: nagrade za projekte dijaspore 2026",
        K.GRANT_CALL,
        "municipality",
        "BA",
        "Zenica",
        ["saradnja-s-bih", "kultura", "obrazovanje"],
        -10,
        S.DONE,
        "Općina dodjeljuje **pet nagrada po 5.000 KM** za projekte koje udruženja iz "
        "dijaspore provode zajedno s partnerima iz općine.",
        {
            "eligibility": "Registrovana udruženja iz dijaspore s partnerom iz općine Zenica.",
            "how_to_apply": "Prijavni obrazac i budžet poslati na dijaspora@zenica.example.",
            "results": "1. KUD Kapija Beč — *Sevdah u Zenici*\n"
            "2. Mreža BH stručnjaka Hamburg — *Ljetna praksa za studente*\n"
            "3. Udruženje žena Ljiljan Stockholm — *Radionice ručnog rada*",
            "follow_up": "Dodijeljene su tri nagrade; projekti se provode do kraja godine.",
        },
        [],
    ),
    (
        "Volonteri za ljetni kamp u Jajcu",
        K.HOMELAND_CALL,
        "municipality",
        "BA",
        "Jajce",
        ["mladi"],
        30,
        S.OPEN,
        "Tražimo mlade volontere iz dijaspore za međunarodni ljetni kamp: obnova staza oko "
        "Plivskih jezera i radionice engleskog i njemačkog za djecu.",
        {"seeking": Post.Seeking.VOLUNTEERS},
        [],
    ),
    (
        "Večer sevdaha u Beču",
        K.EVENT,
        VIENNA,
        "AT",
        "Beč",
        ["kultura"],
        20,
        S.OPEN,
        "KUD Kapija poziva na **večer sevdaha** uz orkestar i gostujuće pjevače iz Tuzle. "
        "Ulaz slobodan, dobrovoljni prilozi idu za stipendije studentima.",
        {},
        [],
    ),
    (
        "Otvorena nova dopunska škola bosanskog jezika u Göteborgu",
        K.NEWS,
        GOTHENBURG,
        "SE",
        "Göteborg",
        ["obrazovanje"],
        None,
        S.OPEN,
        "Od oktobra nastava bosanskog jezika subotom u prostorijama centra. Upisano je već "
        "35 učenika u tri grupe.",
        {},
        [],
    ),
    (
        "Ideja: digitalna arhiva fotografija dijaspore",
        K.PROJECT_IDEA,
        ST_LOUIS,
        "US",
        "St. Louis",
        ["mediji", "kultura"],
        None,
        S.IDEA,
        "Predlažemo zajedničku **digitalnu arhivu** porodičnih fotografija i priča "
        "dijaspore, s pristankom porodica, za buduće generacije.",
        {},
        [(MUNICH, "Imamo volontere za skeniranje i opisivanje fotografija.", False)],
    ),
    (
        "Mentorski program za studente iz BiH u Njemačkoj",
        K.CALL_FOR_PARTNERS,
        HAMBURG,
        "DE",
        "Hamburg",
        ["nauka", "mladi"],
        40,
        S.OPEN,
        "Stručnjaci iz naše mreže postaju mentori studentima iz BiH na njemačkim "
        "univerzitetima. Tražimo studentska udruženja kao partnere.",
        {},
        [(MUNICH, "Naši članovi studenti bi se rado uključili.", False)],
    ),
    (
        "Humanitarni turnir u malom nogometu za Dom zdravlja Srebrenica",
        K.EVENT,
        MUNICH,
        "DE",
        "Minhen",
        ["sport", "humanitarni-rad", "zdravstvo"],
        25,
        S.OPEN,
        "Turnir ekipa iz bavarskih udruženja; prihod ide za opremu Doma zdravlja u "
        "Srebrenici. Prijave ekipa do roka.",
        {},
        [],
    ),
    (
        "Check-in sastanci: pozivamo nova udruženja",
        K.NEWS,
        "ministry",
        "",
        "",
        ["saradnja-s-bih"],
        None,
        S.OPEN,
        "Sektor za dijasporu poziva udruženja koja još nisu dio mreže da se pridruže "
        "narednom **Diaspora Online Check-In** sastanku i registruju na portalu.",
        {},
        [],
    ),
]


def ensure_demo_focal_point() -> User:
    """An approved focal point of a municipality; with a known password in debug only."""
    user, created = User.objects.get_or_create(
        email=DEMO_FOCAL_POINT_EMAIL, defaults={"full_name": "Selma Demo", "language": "bs"}
    )
    if created:
        if settings.DEBUG:
            user.set_password(DEMO_FOCAL_POINT_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=DEMO_FOCAL_POINT_EMAIL, defaults={"verified": True, "primary": True}
    )
    FocalPoint.objects.update_or_create(
        user=user,
        defaults={
            "municipality": DEMO_MUNICIPALITY,
            "position": "Službenica za dijasporu",
            "status": FocalPoint.Status.APPROVED,
            "decided_at": timezone.now(),
        },
    )
    return user


def ensure_demo_posts() -> None:
    """The demo noticeboard, its partners and an approved focal point."""
    focal_user = ensure_demo_focal_point()
    organizations = {o.slug: o for o in Organization.objects.filter(status="approved")}
    areas = {a.slug: a for a in Area.objects.all()}
    now = timezone.now()
    today = timezone.localdate()
    for age, row in enumerate(POSTS):
        title, kind, by, country, city, area_slugs, days, stage, body, extra, interested = row
        organization = organizations.get(by)
        if by not in ("ministry", "municipality") and organization is None:
            continue  # the registry demo is not there
        defaults = {
            "kind": kind,
            "organization": organization,
            "author": focal_user if by == "municipality" else None,
            "municipality": DEMO_MUNICIPALITY if by == "municipality" else "",
            "country": country,
            "city": city,
            "deadline": today + timedelta(days=days) if days is not None else None,
            "stage": stage,
            "body": body,
            "language": "bs",
            "published_at": now - timedelta(days=age * 3 + 1),
            "is_pinned": by == "ministry" and kind == K.REQUEST_FOR_HELP,
            "closed_at": now - timedelta(days=2) if stage == S.DONE else None,
            "results_published_at": now - timedelta(days=5) if extra.get("results") else None,
            **extra,
        }
        post, _created = Post.objects.update_or_create(title=title, defaults=defaults)
        post.areas.set([areas[slug] for slug in area_slugs if slug in areas])
        if not post.stage_changes.exists():
            order = [S.IDEA, S.OPEN, S.PARTNER_FOUND, S.IN_PROGRESS, S.DONE]
            first = S.IDEA if kind == K.PROJECT_IDEA else S.OPEN
            steps = order[order.index(first) : order.index(stage) + 1] or [stage]
            for step_number, step in enumerate(steps):
                StageChange.objects.create(
                    post=post,
                    stage=step,
                    created_at=post.published_at + timedelta(days=step_number),
                )
        for slug, message, accepted in interested:
            partner = organizations.get(slug)
            if partner is None:
                continue
            Interest.objects.update_or_create(
                post=post,
                organization=partner,
                defaults={
                    "message": message,
                    "status": Interest.Status.ACCEPTED if accepted else Interest.Status.PENDING,
                    "decided_at": now if accepted else None,
                },
            )
