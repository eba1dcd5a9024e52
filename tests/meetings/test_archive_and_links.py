"""The check-in archive import (command and staff page), and published summaries that carry
their recording and stream links."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings import archive, notices, services
from meetings.models import Meeting, Minutes
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "archive-example.yaml"


def _record(**changes) -> dict:
    record = {
        "key": "2021-03-03-check-in",
        "series": "Diaspora Online Check-In",
        "title": "5. Diaspora Online Check-In",
        "date": "2021-03-03",
        "start": "18:00",
        "end": "19:00",
        "zone": "Europe/Sarajevo",
        "summary": {"bs": "Sažetak sastanka.", "en": "The summary."},
        "decisions": ["Dogovoreno je nastaviti."],
        "action_items": [{"text": "Pripremiti vodič", "due": "2021-04-01", "status": "done"}],
    }
    record.update(changes)
    return record


def _file(*records) -> str:
    return yaml.safe_dump({"meetings": list(records)}, allow_unicode=True)


def test_the_documented_example_imports_the_2020_report_without_demo_data(tmp_path):
    assert not Organization.objects.exists()

    call_command("import_checkins", str(EXAMPLE))

    meeting = Meeting.objects.get(import_key="2020-08-05-diaspora-online-check-in")
    assert meeting.status == Meeting.Status.HELD
    assert meeting.series.name == "Diaspora Online Check-In" and meeting.number == 2
    assert meeting.minutes.status == Minutes.Status.PUBLISHED
    assert "05.08.2020" in meeting.minutes.summary_in("bs")
    assert meeting.minutes.decisions.count() == 4
    assert meeting.action_items.filter(status="open").count() == 1
    assert meeting.starts_at == datetime(2020, 8, 5, 16, 0, tzinfo=UTC)  # 18:00 in Sarajevo


def test_importing_the_same_file_again_updates_instead_of_adding():
    text = _file(_record())
    archive.import_text(text, by=None, dry_run=False)

    report = archive.import_text(
        _file(_record(title="5. Check-In (ispravljeno)")), by=None, dry_run=False
    )

    assert report.written and report.records[0].exists
    assert Meeting.objects.get().title == "5. Check-In (ispravljeno)"
    assert Meeting.objects.get().action_items.count() == 1


def test_one_bad_record_is_reported_and_nothing_is_written():
    text = _file(
        _record(),
        _record(key="2021-04-bad", date="3. april", zone="Europe/Nowhere", summary={}),
    )

    report = archive.import_text(text, by=None, dry_run=False)

    good, bad = report.records
    assert not report.ok and not report.written
    assert not good.problems
    assert len(bad.problems) == 3  # the date, the zone, the summary: each reported
    assert not Meeting.objects.exists()


def test_the_command_reports_problems_and_fails_without_writing(tmp_path, capsys):
    path = tmp_path / "archive.yaml"
    path.write_text(_file(_record(action_items=[{"text": "X", "responsible": "nema-je"}])))

    with pytest.raises(CommandError):
        call_command("import_checkins", str(path))

    assert "nema-je" in capsys.readouterr().err
    assert not Meeting.objects.exists()


def test_staff_upload_gets_a_dry_run_report_then_confirm_imports(staff_client):
    url = reverse("staff_meetings:archive_import")
    bad = _file(_record(), _record(key="kljuc-2", date="nije datum"))
    good = _file(_record())

    checked_bad = staff_client.post(
        url, {"file": SimpleUploadedFile("a.yaml", bad.encode()), "action": "check"}
    )
    checked = staff_client.post(
        url, {"file": SimpleUploadedFile("a.yaml", good.encode()), "action": "check"}
    )
    assert not Meeting.objects.exists()
    confirmed = staff_client.post(url, {"content": good, "action": "import"})

    assert checked_bad.status_code == 422
    assert 'data-record-key="kljuc-2"' in checked_bad.content.decode()
    assert checked.status_code == 200
    assert 'value="import"' in checked.content.decode()
    assert confirmed.status_code == 302
    assert Meeting.objects.get().import_key == "2021-03-03-check-in"


def test_a_file_that_is_not_yaml_is_a_clear_422(staff_client):
    response = staff_client.post(
        reverse("staff_meetings:archive_import"),
        {"file": SimpleUploadedFile("a.yaml", b"meetings: [\n  - {"), "action": "check"},
    )

    assert response.status_code == 422
    assert 'id="archive-report"' in response.content.decode()


# --- Summaries carry their links ---------------------------------------------------------


@pytest.fixture
def published_meeting():
    meeting = factories.MeetingFactory(
        status="held",
        recording_url="https://video.example.org/snimak",
        stream_url="https://stream.example.org/uzivo",
        video_url="https://meet.example.org/tajna-soba",
    )
    services.save_minutes(
        meeting=meeting, by=None, language="bs", summaries={"bs": "Sažetak."}, notes={}
    )
    Minutes.objects.filter(meeting=meeting).update(status="published", published_at=meeting.ends_at)
    return meeting


def test_the_published_summary_page_carries_the_recording_and_stream_but_not_the_join_link(
    client, published_meeting
):
    body = client.get(published_meeting.get_absolute_url()).content.decode()

    links = body.split('id="summary-links"', 1)[1].split("</ul>", 1)[0]
    assert "https://video.example.org/snimak" in links
    assert "https://stream.example.org/uzivo" in links
    assert "tajna-soba" not in body


def test_the_summary_email_carries_the_recording_and_stream_links(published_meeting):
    context = notices._context(published_meeting, kind=notices.Kind.SUMMARY, number=0, video_url="")
    from mail import services as mail_services

    _subject, text, html = mail_services.render_email(
        "meetings/emails/summary", context, language="bs"
    )

    for body in (text, html):
        assert "https://video.example.org/snimak" in body
        assert "https://stream.example.org/uzivo" in body
        assert "tajna-soba" not in body


def test_changing_the_stream_link_raises_the_calendar_revision_and_sends_updates(
    django_capture_on_commit_callbacks,
):
    meeting = factories.MeetingFactory(stream_url="https://stream.example.org/a")
    organization = factories.OrganizationFactory()
    from meetings import invitations

    invitations.invite(meeting, Organization.objects.filter(pk=organization.pk), by=None)
    meeting.invitations.update(mail_pending="", mailed_sequence=meeting.sequence)

    with django_capture_on_commit_callbacks(execute=False):
        changed = services.update_meeting(
            meeting=meeting, by=None, stream_url="https://stream.example.org/b"
        )

    assert changed.sequence == meeting.sequence + 1
    assert meeting.invitations.filter(mail_pending="request").count() == 1
