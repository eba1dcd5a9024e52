from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class Institution(models.Model):
    """An embassy, a consulate or another BiH institution abroad (an office, not a person)."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE_GENERAL = "consulate_general", _("Consulate general")
        CONSULATE = "consulate", _("Consulate")
        HONORARY_CONSULATE = "honorary_consulate", _("Honorary consulate")
        OTHER = "other", _("Other institution")

    key = models.SlugField(
        _("key"),
        max_length=120,
        unique=True,
        help_text=_(
            "A short, stable name in the address and in CSV imports, e.g. ambasada-berlin."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    local_name = models.CharField(
        _("name in the local language"),
        max_length=200,
        blank=True,
        help_text=_("As the institution is known in the host country, e.g. Botschaft von …"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), help_text=_("Where the office is."))
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = PhoneNumberField(
        _("public phone number"),
        blank=True,
        help_text=_("In international form, e.g. +49 30 1234567."),
    )
    email = models.EmailField(_("public e-mail address"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    covered_countries = CountryField(
        _("countries covered"),
        multiple=True,
        blank=True,
        help_text=_(
            "The countries whose diaspora the institution serves. Empty: the country where "
            "the office is."
        ),
    )
    opening_notes = models.TextField(
        _("opening hours and notes"),
        max_length=2000,
        blank=True,
        help_text=_("Opening hours, appointments, consular days. Markdown: **bold**, lists."),
    )
    is_active = models.BooleanField(
        _("shown"), default=True, help_text=_("Only shown institutions are public.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    # Who changed what, and when: staff keep the directory, and the history names them.
    history = HistoricalRecords(
        excluded_fields=["updated_at"], verbose_name=_("institution history")
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def get_absolute_url(self):
        return reverse("institutions:detail", kwargs={"key": self.key})

    def clean(self):
        super().clean()
        if self.country and not self.covered_countries:
            self.covered_countries = [self.country.code]
        if self.website and not self.website.lower().startswith(("https://", "http://")):
            raise ValidationError({"website": _("Enter a web link that starts with https://.")})
