"""Demo institutions: BiH embassies and consulates general in the main host countries;
idempotent (keyed by ``key``).

Names, cities and the countries covered follow the public list of BiH missions; the e-mail
addresses are examples (example.ba) and no phone numbers are given: check the real contact data
on the missions' own pages before relying on them.
"""

from .models import Institution

MFA_WEBSITE = "https://www.mvp.gov.ba/"
DEMO_NOTE = (
    "Pon–pet 9–13 h; konzularne usluge uz prethodnu najavu.\n\n"
    "*Demo podaci: adresa e-pošte je primjer; provjerite kontakt na stranici misije.*"
)

DEMO_INSTITUTIONS = [
    {
        "key": "ambasada-berlin",
        "name": "Ambasada Bosne i Hercegovine u Berlinu",
        "local_name": "Botschaft von Bosnien und Herzegowina",
        "kind": Institution.Kind.EMBASSY,
        "country": "DE",
        "city": "Berlin",
        "address": "Ibsenstraße 14, 10439 Berlin",
        "email": "ambasada.berlin@example.ba",
        "covered_countries": ["DE"],
    },
    {
        "key": "generalni-konzulat-minhen",
        "name": "Generalni konzulat Bosne i Hercegovine u Minhenu",
        "local_name": "Generalkonsulat von Bosnien und Herzegowina München",
        "kind": Institution.Kind.CONSULATE_GENERAL,
        "country": "DE",
        "city": "Minhen",
        "email": "gk.minhen@example.ba",
        "covered_countries": ["DE"],
    },
    {
        "key": "generalni-konzulat-frankfurt",
        "name": "Generalni konzulat Bosne i Hercegovine u Frankfurtu",
        "local_name": "Generalkonsulat von Bosnien und Herzegowina Frankfurt am Main",
        "kind": Institution.Kind.CONSULATE_GENERAL,
        "country": "DE",
        "city": "Frankfurt",
        "email": "gk.frankfurt@example.ba",
        "covered_countries": ["DE"],
    },
    {
        "key": "ambasada-bec",
        "name": "Ambasada Bosne i Hercegovine u Beču",
        "local_name": "Botschaft von Bosnien und Herzegowina in Wien",
        "kind": Institution.Kind.EMBASSY,
        "country": "AT",
        "city": "Beč",
        "address": "Tivoligasse 54, 1120 Wien",
        "email": "ambasada.bec@example.ba",
        "covered_countries": ["AT"],
    },
    {
        "key": "ambasada-stockholm",
        "name": "Ambasada Bosne i Hercegovine u Stockholmu",
        "local_name": "Bosnien och Hercegovinas ambassad",
        "kind": Institution.Kind.EMBASSY,
        "country": "SE",
        "city": "Stockholm",
        "email": "ambasada.stockholm@example.ba",
        "covered_countries": ["SE"],
    },
    {
        "key": "ambasada-bern",
        "name": "Ambasada Bosne i Hercegovine u Bernu",
        "local_name": "Botschaft von Bosnien und Herzegowina in Bern",
        "kind": Institution.Kind.EMBASSY,
        "country": "CH",
        "city": "Bern",
        "address": "Jungfraustrasse 1, 3005 Bern",
        "email": "ambasada.bern@example.ba",
        "covered_countries": ["CH", "LI"],
    },
]


def ensure_demo_institutions() -> list[Institution]:
    """Create or update the demo institutions."""
    institutions = []
    for data in DEMO_INSTITUTIONS:
        defaults = {
            "website": MFA_WEBSITE,
            "opening_notes": DEMO_NOTE,
            "is_active": True,
            **{key: value for key, value in data.items() if key != "key"},
        }
        institution, _created = Institution.objects.update_or_create(
            key=data["key"], defaults=defaults
        )
        institutions.append(institution)
    return institutions
