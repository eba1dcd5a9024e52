from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from core import languages, search

# Languages an organization works in. The portal's own interface languages are in
# settings.LANGUAGES; this list is about the organizations, so it is wider.
ORGANIZATION_LANGUAGES = [
    ("bs", _("Bosnian")),
    ("hr", _("Croatian")),
    ("sr", _("Serbian")),
    ("en", _("English")),
    ("de", _("German")),
    ("da", _("Danish")),
    ("sv", _("Swedish")),
    ("no", _("Norwegian")),
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("sl", _("Slovenian")),
    ("tr", _("Turkish")),
]


class Area(models.Model):
    """An area of activity, a taxonomy kept by ministry staff."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # One name per interface language: {"bs": "Kultura", "en": "Culture"}.
    names = models.JSONField(_("names"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("area of activity")
        verbose_name_plural = _("areas of activity")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, else in the closest one (in Cyrillic for a Cyrillic
        reader), else in the default language, else the slug."""
        return languages.name_for_reader(
            self.names, default_language=settings.LANGUAGE_CODE, fallback=self.slug
        )


class Organization(search.Searchable, models.Model):
    """A diaspora organization in the registry."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        CULTURAL = "cultural", _("Cultural")
        SPORTS = "sports", _("Sports")
        RELIGIOUS = "religious", _("Religious")
        PROFESSIONAL = "professional", _("Professional")
        STUDENT = "student", _("Student")
        BUSINESS = "business", _("Business network")
        MEDIA = "media", _("Media")
        HUMANITARIAN = "humanitarian", _("Humanitarian")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    class Size(models.TextChoices):
        UNKNOWN = "", _("Not stated")
        SMALL = "1-20", _("1 to 20 members")
        MEDIUM = "21-100", _("21 to 100 members")
        LARGE = "101-500", _("101 to 500 members")
        VERY_LARGE = "500+", _("More than 500 members")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    public_email = models.EmailField(_("public e-mail address"), blank=True)
    public_phone = PhoneNumberField(
        _("public phone number"),
        blank=True,
        help_text=_("In international form, e.g. +49 30 1234567."),
    )
    description = models.TextField(
        _("description"),
        max_length=10000,
        blank=True,
        help_text=_("What the organization does. Markdown: **bold**, *italic*, lists, links."),
    )
    areas = models.ManyToManyField(
        Area, verbose_name=_("areas of activity"), related_name="organizations", blank=True
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=ORGANIZATION_LANGUAGES),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    size = models.CharField(
        _("approximate membership"), max_length=10, choices=Size.choices, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language for messages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the organization was rejected or archived.")
    )
    staff_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Seen by ministry staff only.")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The second tier: staff checked the documents (registration abroad, representatives).
    verified_at = models.DateTimeField(_("documents checked at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("documents checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Freshness: an admin or staff confirmed that the profile is current.
    last_confirmed_at = models.DateTimeField(_("last confirmed current"), default=timezone.now)
    last_nudged_at = models.DateTimeField(_("last reminded to confirm"), null=True, blank=True)
    nudges_sent = models.PositiveSmallIntegerField(_("reminders to confirm sent"), default=0)
    dormant_since = models.DateTimeField(_("dormant since"), null=True, blank=True)
    # Kept current by save() (core.search.Searchable): every folded spelling of the name, city
    # and description, and the folded name that finds duplicates.
    search_document = models.TextField(editable=False, default="")
    normalized_name = models.CharField(editable=False, max_length=200, default="", db_index=True)
    search_fields = ("search_document", "normalized_name")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_document", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["search_document", "normalized_name", "search_vector", "updated_at"],
        verbose_name=_("organization history"),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="org_search_idx"),
            models.Index(fields=["status", "country", "name"], name="org_status_country_idx"),
            models.Index(fields=["status", "last_confirmed_at"], name="org_freshness_idx"),
            # The directory's page of listed organizations in name order, without a sort.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(status="approved"),
                name="org_listed_name_idx",
            ),
            # The staff list's pages of every organization in name order, without a sort.
            models.Index(fields=["name", "id"], name="org_name_idx"),
            # The review queue's pages, oldest first, without a sort.
            models.Index(
                fields=["updated_at", "id"],
                condition=models.Q(status="pending"),
                name="org_review_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "pending", "approved", "rejected", "archived"]
                ),
                name="org_status_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    def search_texts(self) -> tuple[str, ...]:
        return (self.name, self.city, self.description)

    def refresh_search_fields(self) -> None:
        """The search document and the folded name for duplicate checks (see Searchable)."""
        super().refresh_search_fields()
        self.normalized_name = search.normalized_name(self.name)[:200]

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_dormant(self) -> bool:
        return self.dormant_since is not None


class CommunicationChannel(models.Model):
    """A channel the organization uses: a group, a page, a newsletter."""

    class Kind(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"
        VIBER = "viber", "Viber"
        SIGNAL = "signal", "Signal"
        TELEGRAM = "telegram", "Telegram"
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        LINKEDIN = "linkedin", "LinkedIn"
        NEWSLETTER = "newsletter", _("Newsletter")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Only this organization's members and ministry staff")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="channels",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(
        _("link or handle"), max_length=300, help_text=_("A link (https://…) or a handle (@name).")
    )
    visibility = models.CharField(
        _("who sees it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords(verbose_name=_("channel history"))

    class Meta:
        verbose_name = _("communication channel")
        verbose_name_plural = _("communication channels")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "members"]),
                name="channel_visibility_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def is_link(self) -> bool:
        return self.value.startswith(("https://", "http://"))


class ContactPerson(models.Model):
    """A person to contact; private (staff only) unless the organization marks it public."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = PhoneNumberField(_("phone number"), blank=True)
    is_public = models.BooleanField(
        _("show on the public profile"),
        default=False,
        help_text=_("Otherwise only ministry staff and your organization's admins see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords(verbose_name=_("contact history"))

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in an organization: admin (manages it) or member."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_once_per_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "member"]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} ({self.get_role_display()})"


class MemberInvitation(models.Model):
    """An admin's invitation to a colleague to join the organization on the portal.

    Only a hash of the token is stored: the link in the e-mail is the only copy of the token.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="member_invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation to join an organization")
        verbose_name_plural = _("invitations to join an organization")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "member"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
