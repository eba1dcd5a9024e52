import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.utils import timezone

from accounts.models import User
from accounts.services import make_ministry_staff

PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    language = "bs"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffUserFactory(UserFactory):
    @factory.post_generation
    def ministry_staff(self, create, extracted, **kwargs):
        if create:
            make_ministry_staff(user=self)


def activate_totp(user) -> str:
    """Give the user a TOTP authenticator; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now.

    Close to the end of a 30-second step the code would change before the server checks it,
    so wait for the next step there, as a person reading the app would.
    """
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 2:
        time.sleep(left + 0.05)
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


# --- The registry -------------------------------------------------------------------------


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organizations.Area"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"area-{n}")
    names = factory.LazyAttribute(lambda o: {"bs": f"Oblast {o.slug}", "en": f"Area {o.slug}"})


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organizations.Organization"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Udruženje građana BiH {n}")
    slug = factory.Sequence(lambda n: f"udruzenje-gradana-bih-{n}")
    kind = "association"
    country = "DE"
    city = "Berlin"
    description = "Kulturno udruženje bosanskohercegovačke dijaspore."
    public_email = factory.Sequence(lambda n: f"info{n}@udruzenje.example")
    status = "approved"
    approved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organizations.CommunicationChannel"

    organization = factory.SubFactory(OrganizationFactory)
    kind = "whatsapp"
    value = factory.Sequence(lambda n: f"https://chat.whatsapp.com/group{n}")
    visibility = "public"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organizations.ContactPerson"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name")
    role = "Predsjednik"
    email = factory.Sequence(lambda n: f"kontakt{n}@private.example")
    phone = "+49 30 1234567"
    is_public = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organizations.Membership"

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "admin"


def log_in_with_totp(client, user, secret: str) -> None:
    """Log in through the real doors: the password, then a code from the authenticator app."""
    from django.urls import reverse

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate"), response
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response


# --- Meetings -----------------------------------------------------------------------------


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Series"
        django_get_or_create = ("slug",)

    name = "Diaspora Online Check-In"
    slug = "diaspora-online-check-in"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    title = factory.Sequence(lambda n: f"{n}. Diaspora Online Check-In")
    slug = factory.Sequence(lambda n: f"sastanak-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timezone.timedelta(minutes=90))
    time_zone = "Europe/Sarajevo"
    video_url = "https://meet.example.org/check-in"
    status = "scheduled"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "institutions.Institution"

    key = factory.Sequence(lambda n: f"ambasada-{n}")
    name = factory.Sequence(lambda n: f"Ambasada Bosne i Hercegovine {n}")
    kind = "embassy"
    country = "DE"
    city = "Berlin"
    email = factory.Sequence(lambda n: f"ambasada{n}@example.ba")
    covered_countries = factory.LazyAttribute(lambda o: [o.country])
    is_active = True
