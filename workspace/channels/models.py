"""The community channel."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from organizations.models import Area


class Channel(models.Model):
    """A community channel kept by staff (a WhatsApp community, a Viber group, a mailing list)."""

    class Kind(models.TextChoices):
        WHATSAPP = "whatsapp", _("WhatsApp community")
        VIBER = "viber", "Viber"
        SIGNAL = "signal", "Signal"
        TELEGRAM = "telegram", "Telegram"
        MAILING_LIST = "mailing_list", _("Mailing list")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        COUNTRY = "country", _("One host country")
        AREA = "area", _("One area of activity")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(
        _("for whom"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    country = CountryField(_("host country"), blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area of activity"),
        on_delete=models.PROTECT,
        related_name="community_channels",
        null=True,
        blank=True,
    )
    description = models.TextField(
        _("description"),
        max_length=2000,
        blank=True,
        help_text=_("What the channel is for and how it is run. Markdown: **bold**, *italic*."),
    )
    # Only members of approved organizations see it (see workspace/channels/services.py).
    join_url = models.URLField(
        _("join link"),
        max_length=500,
        help_text=_("The invitation link, e.g. https://chat.whatsapp.com/…"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("community channel")
        verbose_name_plural = _("community channels")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["whatsapp", "viber", "signal", "telegram", "mailing_list", "other"]
                ),
                name="channel_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(audience="everyone", country="", area__isnull=True)
                | models.Q(audience="country", area__isnull=True) & ~models.Q(country="")
                | models.Q(audience="area", country="", area__isnull=False),
                name="channel_audience_matches",
                violation_error_message=_(
                    "Choose the host country for a channel of one country, the area for a "
                    "channel of one area, and neither for a channel for everyone."
                ),
            ),
        ]

    def __str__(self):
        return self.name
