"""The main navigation lists its sections explicitly and fails loudly on a typo."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from diaspora_portal.templatetags import portal


def _navigation(rf, user):
    request = rf.get("/")
    request.user = user
    return portal.main_navigation({"request": request})


@pytest.mark.django_db
def test_navigation_lists_the_public_sections_and_hides_the_staff_area_from_others(rf, user):
    items = _navigation(rf, user)

    assert [item["url"] for item in items] == [
        "/",
        "/organizations/",
        "/meetings/",
        "/workspace/",
        "/onboarding/",
    ]
    assert items[0]["current"] is True


@pytest.mark.django_db
def test_navigation_shows_the_staff_area_to_ministry_staff(rf, staff_user):
    assert "/staff/" in [item["url"] for item in _navigation(rf, staff_user)]


@pytest.mark.django_db
def test_navigation_raises_on_an_unknown_url_name(rf, user, monkeypatch):
    monkeypatch.setattr(
        portal, "NAVIGATION", [*portal.NAVIGATION, ("meetings:idnex", _("Meetings"), False)]
    )

    with pytest.raises(ImproperlyConfigured, match="meetings:idnex"):
        _navigation(rf, user)


@pytest.mark.django_db
def test_navigation_raises_on_an_unknown_staff_url_name_for_anyone(rf, user, monkeypatch):
    monkeypatch.setattr(portal, "NAVIGATION", [("staf_dashboard", _("Staff area"), True)])

    with pytest.raises(ImproperlyConfigured):
        _navigation(rf, user)
