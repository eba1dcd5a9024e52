"""Demo community channels; idempotent (keyed by name)."""

from .models import Channel

DEMO_CHANNELS = [
    {
        "name": "BiH dijaspora Njemačka",
        "kind": Channel.Kind.WHATSAPP,
        "audience": Channel.Audience.COUNTRY,
        "country": "DE",
        "description": (
            "WhatsApp zajednica organizacija bh. dijaspore u Njemačkoj: obavještenja Sektora "
            "za dijasporu, pozivi na sastanke i razmjena iskustava između udruženja."
        ),
        "join_url": "https://chat.whatsapp.com/DemoBihDijasporaNjemacka",
        "position": 10,
    },
    {
        "name": "Portal dijaspore",
        "kind": Channel.Kind.MAILING_LIST,
        "audience": Channel.Audience.EVERYONE,
        "country": "",
        "description": (
            "Mailing lista za sve organizacije u mreži: najave check-in sastanaka, sažeci i "
            "novosti o portalu, najviše jedna poruka sedmično."
        ),
        "join_url": "https://lists.example.org/postorius/lists/portal-dijaspore/",
        "position": 0,
    },
]


def ensure_demo_channels() -> list[Channel]:
    """Create or update the demo channels."""
    channels = []
    for data in DEMO_CHANNELS:
        defaults = {key: value for key, value in data.items() if key != "name"}
        channel, _created = Channel.objects.update_or_create(name=data["name"], defaults=defaults)
        channels.append(channel)
    return channels
