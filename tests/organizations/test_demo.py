import io

import pytest
from django.core.management import call_command

from organizations import demo
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db


def test_demo_registry_is_realistic_and_idempotent(settings):
    settings.DEBUG = True
    count = demo.ensure_demo_organizations()
    first = dict(Organization.objects.values_list("slug", "name"))

    demo.ensure_demo_organizations()

    assert 140 <= count <= 160
    assert Organization.objects.count() == count
    assert dict(Organization.objects.values_list("slug", "name")) == first
    assert set(Organization.objects.values_list("status", flat=True)) == set(
        Organization.Status.values
    )
    assert Organization.objects.values("country").distinct().count() >= 13
    assert any("Đ" in name or "Ž" in name or "ž" in name for name in first.values())
    stale = Organization.objects.filter(
        last_confirmed_at__lt=demo.timezone.now().replace(year=demo.timezone.now().year - 1)
    )
    assert count // 6 <= stale.count() <= count // 4
    assert Organization.objects.filter(dormant_since__isnull=False).exists()
    assert Organization.objects.filter(verified_at__isnull=False).exists()
    assert Organization.objects.filter(channels__visibility="members").exists()
    assert Organization.objects.filter(contacts__is_public=False).exists()


def test_demo_org_admin_exists_only_in_debug(settings):
    settings.DEBUG = False
    demo.ensure_demo_organizations()
    assert not Membership.objects.filter(user__email=demo.DEMO_ORG_ADMIN_EMAIL).exists()

    settings.DEBUG = True
    demo.ensure_demo_organizations()
    membership = Membership.objects.get(user__email=demo.DEMO_ORG_ADMIN_EMAIL)
    assert membership.role == "admin"
    assert membership.organization.slug == demo.DEMO_ORG_SLUG
    assert membership.user.check_password(demo.DEMO_ORG_ADMIN_PASSWORD)


def test_seed_demo_loads_the_registry(settings):
    settings.DEBUG = True  # outside debug seed_demo wants a password of the operator's own
    call_command("seed_demo", stdout=io.StringIO())

    assert Organization.objects.filter(status="approved").count() > 100
