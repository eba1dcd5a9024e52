"""A series on a 390 px phone: the next check-in with its audience in one confirmation, the
audience preview, and the archive import with one bad record reported."""

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone
from playwright.sync_api import expect

from meetings import audiences
from meetings.audiences import Audience
from meetings.models import AudienceRule, Meeting
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    page.goto("/accounts/login/?next=/staff/meetings/")
    fill_login(page, staff.email, factories.PASSWORD)
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/meetings/")
    yield page
    context.close()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_staff_schedule_the_next_check_in_of_a_series_with_its_audience_in_one_confirmation(
    phone, axe
):
    # given a check-in of the series that invited the organizations of Sweden, and a Danish
    # organization approved since
    series = factories.SeriesFactory()
    meeting = factories.MeetingFactory(series=series, number=3, title="3. Diaspora Online Check-In")
    old = timezone.now() - timedelta(days=40)
    factories.OrganizationFactory(name="Bosniska föreningen Malmö", country="SE", approved_at=old)
    audiences.invite_audiences(meeting, [Audience(countries=("SE",))], by=None)
    AudienceRule.objects.update(created_at=timezone.now() - timedelta(days=1))
    factories.OrganizationFactory(name="Bosnisk Forening København", country="DK")
    page = phone

    # staff open the meeting, ask for the next one and confirm once
    page.goto(f"/staff/meetings/{meeting.pk}/")
    page.locator("#schedule-next").click()
    expect(page.locator("main")).to_contain_text("Bosnisk Forening København")
    expect(page.locator("[data-reach=organizations]")).to_have_text("1")
    _fits(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Zakaži i pošalji pozivnice").click()

    # the next check-in is scheduled with the same audience and the new organization
    expect(page.locator("h1")).to_have_text("4. Diaspora Online Check-In")
    expect(page.locator("[data-count=invited]")).to_contain_text("2")
    next_meeting = Meeting.objects.get(series=series, number=4)
    assert next_meeting.status == Meeting.Status.SCHEDULED
    assert set(next_meeting.invitations.values_list("organization__country", flat=True)) == {
        "SE",
        "DK",
    }
    _fits(page)

    # and the audience preview updates in place as staff combine countries
    factories.OrganizationFactory(name="KUD Oslo", country="NO", kind="cultural")
    page.reload()
    page.locator("input[name=countries][value=SE]").check()
    expect(page.locator("[data-reach=organizations]")).to_have_text("1")
    expect(page.locator("[data-reach=new]")).to_have_text("0")
    assert_accessible(axe, page)


def test_staff_import_the_archive_with_one_bad_record_reported(phone, axe, tmp_path):
    good = {
        "key": "2020-08-05-diaspora-online-check-in",
        "series": "Diaspora Online Check-In",
        "number": 2,
        "title": "2. Diaspora Online Check-In",
        "date": "2020-08-05",
        "start": "18:00",
        "end": "19:30",
        "zone": "Europe/Sarajevo",
        "summary": {"bs": "Održan je drugi Diaspora Online Check-In."},
        "decisions": ["Nastaviti sa sastancima."],
    }
    bad = {**good, "key": "pogresan-zapis", "date": "5. august", "number": 3}
    mixed = tmp_path / "arhiva.yaml"
    mixed.write_text(yaml.safe_dump({"meetings": [good, bad]}, allow_unicode=True))
    clean = tmp_path / "arhiva-ispravljena.yaml"
    clean.write_text(yaml.safe_dump({"meetings": [good]}, allow_unicode=True))
    page = phone

    page.goto("/staff/meetings/")
    page.get_by_role("link", name="Uvoz prošlih sastanaka").click()
    page.locator("#id_file").set_input_files(str(mixed))
    page.get_by_role("button", name="Provjeri datoteku").click()

    problem = page.locator("[data-record-key=pogresan-zapis]")
    expect(problem).to_contain_text("2020-08-05")  # "not a date like 2020-08-05"
    expect(page.locator("#archive-report h2")).to_contain_text("ništa nije upisano")
    assert not Meeting.objects.exists()
    _fits(page)
    assert_accessible(axe, page)

    page.locator("#id_file").set_input_files(str(clean))
    page.get_by_role("button", name="Provjeri datoteku").click()
    page.get_by_role("button", name="Uvezi 1 sastanak").click()

    expect(page.locator(".messages, [role=status]").first).to_contain_text("Uvezen je 1")
    meeting = Meeting.objects.get()
    assert meeting.minutes.is_published
    page.goto(meeting.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Održan je drugi Diaspora Online Check-In.")
    _fits(page)
