"""Insights: the map, the staff charts, their CSV and the annual report, against counts made
here in plain Python from the rows the test created."""

import csv
import io
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights import periods, queries
from meetings.models import ActionItem, Attendance, Invitation
from organizations.models import Organization
from tests import factories
from workspace.models import Interest, Post

SVG = "{http://www.w3.org/2000/svg}"


def _svgs(html: str) -> list[ET.Element]:
    """Every inline <svg> of the page, parsed as XML (so each one is well-formed)."""
    out, start = [], 0
    while (begin := html.find("<svg", start)) != -1:
        end = html.index("</svg>", begin) + len("</svg>")
        out.append(ET.fromstring(html[begin:end]))  # noqa: S314 - the portal's own page
        start = end
    return out


def _registry():
    """Organizations in several countries and states; returns the expected map counts."""
    plan = [("DE", "approved", 5), ("AT", "approved", 3), ("SE", "approved", 1)]
    plan += [("US", "approved", 2), ("CH", "pending", 4), ("FR", "archived", 2)]
    for country, status, n in plan:
        for _ in range(n):
            factories.OrganizationFactory(country=country, city="Grad", status=status)
    return Counter(
        {country: n for country, status, n in plan if status == "approved"},
    )


@pytest.mark.django_db
def test_map_on_the_directory_links_each_country_with_its_count_of_listed_organizations(client):
    expected = _registry()
    html = client.get(reverse("organizations:directory")).content.decode()
    found = {}
    for svg in _svgs(html):
        for link in svg.iter(f"{SVG}a"):
            code = link.get("href").split("country=")[1]
            title = link.find(f"{SVG}path/{SVG}title").text
            found.setdefault(code, int(title.rsplit(": ", 1)[1].split()[0]))
    assert found == dict(expected)
    # Europe and the world, and the table that says the same in text.
    assert len(_svgs(html)) == 2
    assert "/organizations/?country=CH" not in html  # pending ones are not on the map


@pytest.mark.django_db
def test_home_page_numbers_count_listed_organizations_their_countries_held_check_ins_and_projects(
    client,
):
    expected = _registry()
    factories.MeetingFactory(status="held", kind="check_in")
    factories.MeetingFactory(status="held", kind="workshop")
    factories.MeetingFactory(status="scheduled", kind="check_in")
    numbers = queries.public_numbers()
    assert numbers == {
        "organizations": sum(expected.values()),
        "countries": len(expected),
        "check_ins": 1,
        "projects": 0,
    }
    html = client.get("/").content.decode()
    assert f"<dd>{sum(expected.values())}</dd>" in html
    assert f"<dd>{len(expected)}</dd>" in html


def _chart(charts, slug):
    return next(chart for chart in charts if chart.slug == slug)


@pytest.mark.django_db
def test_charts_count_what_the_rows_say():
    now = timezone.now()
    organizations = [
        factories.OrganizationFactory(status=status)
        for status in ["approved"] * 4 + ["pending"] * 2 + ["rejected"]
    ]
    listed = organizations[:4]
    # freshness: one stale, one dormant
    Organization.objects.filter(pk=listed[0].pk).update(last_confirmed_at=now - timedelta(days=400))
    Organization.objects.filter(pk=listed[1].pk).update(
        last_confirmed_at=now - timedelta(days=800), dormant_since=now - timedelta(days=10)
    )
    meeting = factories.MeetingFactory(
        kind="check_in", status="held", starts_at=now - timedelta(days=20)
    )
    for index, organization in enumerate(listed):
        Invitation.objects.create(
            meeting=meeting,
            organization=organization,
            email=f"i{index}@example.org",
            token_hash=f"{index:064d}",
            mailed_at=now,
            answer="yes" if index < 2 else "",
        )
    Attendance.objects.create(meeting=meeting, organization=listed[0])
    items = [("open", 0), ("open", 100), ("done", 200), ("dropped", 10)]
    for status, days in items:
        item = ActionItem.objects.create(meeting=meeting, text="Korak", status=status)
        ActionItem.objects.filter(pk=item.pk).update(created_at=now - timedelta(days=days))
    posts = [
        Post.objects.create(
            kind="project_idea", organization=listed[0], title=f"Projekat {i}", body="x", stage=s
        )
        for i, s in enumerate(["open", "open", "partner_found", "done"])
    ]
    Interest.objects.create(post=posts[2], organization=listed[1], message="Da", status="accepted")

    charts = queries.charts(periods.period("12m"))

    statuses = _chart(charts, "organizations")
    by_status = {s.label: sum(s.values) for s in statuses.series}
    assert by_status == {
        str(Organization.Status.PENDING.label): 2,
        str(Organization.Status.APPROVED.label): 4,
        str(Organization.Status.REJECTED.label): 1,
        str(Organization.Status.ARCHIVED.label): 0,
    }
    assert _chart(charts, "listed").series[0].values[-1] == 4
    freshness = _chart(charts, "freshness").series[0].values
    assert freshness == [2, 1, 1]
    invitations = _chart(charts, "invitations")
    assert invitations.categories == [meeting.title]
    assert [s.values for s in invitations.series] == [[4], [2], [1]]
    actions = _chart(charts, "actions")
    by_status = {s.label: s.values for s in actions.series}
    assert by_status[str(ActionItem.Status.OPEN.label)] == [1, 0, 1, 0, 0]
    assert by_status[str(ActionItem.Status.DONE.label)] == [0, 0, 0, 1, 0]
    assert by_status[str(ActionItem.Status.DROPPED.label)] == [1, 0, 0, 0, 0]
    pipeline = _chart(charts, "pipeline")
    columns = zip(*[s.values for s in pipeline.series], strict=True)
    stages = dict(zip([s.value for s in Post.Stage], columns, strict=True))
    assert stages["open"] == (2, 0)
    assert stages["partner_found"] == (0, 1)
    assert stages["done"] == (1, 0)


@pytest.mark.django_db
def test_insights_page_draws_valid_svg_and_its_csv_equals_the_chart(staff_client):
    for status in ["approved"] * 3 + ["pending"]:
        factories.OrganizationFactory(status=status)
    response = staff_client.get(reverse("staff_insights:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    charts = queries.charts(periods.period("12m"))
    assert len(_svgs(html)) == len([c for c in charts if not c.is_empty]) >= 3
    assert " style=" not in html
    chart = _chart(charts, "organizations")
    download = staff_client.get(reverse("staff_insights:csv", args=["organizations"]))
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode().lstrip("\ufeff"))))
    assert rows[0][1:] == chart.headers
    assert [[int(v) for v in row[1:]] for row in rows[1:]] == [values for _l, values in chart.rows]
    assert sum(int(v) for row in rows[1:] for v in row[1:]) == 4


@pytest.mark.django_db
def test_chart_csv_guards_formulas_in_meeting_titles(staff_client):
    factories.MeetingFactory(
        title="=HYPERLINK(1)", kind="check_in", starts_at=timezone.now() - timedelta(days=3)
    )
    download = staff_client.get(reverse("staff_insights:csv", args=["invitations"]))
    assert "'=HYPERLINK(1)" in download.content.decode()


@pytest.mark.django_db
def test_unknown_period_is_a_clear_400_and_unknown_chart_a_404(staff_client):
    response = staff_client.get(reverse("staff_insights:overview"), {"period": "1066x"})
    assert response.status_code == 400
    assert staff_client.get("/staff/insights/nothing.csv").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["overview", "csv", "report"])
def test_insights_are_refused_to_people_who_are_not_staff(client, name):
    args = {"overview": [], "csv": ["freshness"], "report": [2026]}[name]
    url = reverse(f"staff_insights:{name}", args=args)
    assert client.get(url).status_code == 302  # to the login
    admin = factories.MembershipFactory(role="admin").user
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert b"<svg" not in response.content


@pytest.mark.django_db
def test_annual_report_lists_the_years_check_ins_decisions_action_items_and_organizations(
    staff_client,
):
    year = timezone.localdate().year - 1
    starts = timezone.make_aware(timezone.datetime(year, 5, 4, 17))
    meeting = factories.MeetingFactory(
        kind="check_in", status="held", starts_at=starts, title="Sastanak <b>maj</b>"
    )
    ActionItem.objects.create(meeting=meeting, text="Poslati pozive", status="done")
    new = factories.OrganizationFactory(
        name="Novo udruženje", approved_at=starts + timedelta(days=3)
    )
    response = staff_client.get(reverse("staff_insights:report", args=[year]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sastanak &lt;b&gt;maj&lt;/b&gt;" in html
    assert "Poslati pozive" in html
    assert new.name in html
    assert html.count('class="report-section') == 5
    assert staff_client.get(reverse("staff_insights:report", args=[1])).status_code == 404


def _bulk_organizations(count: int, start: int = 0) -> None:
    countries = ["DE", "AT", "SE", "CH", "US", "NL", "FR"]
    statuses = ["approved", "approved", "pending", "archived"]
    Organization.objects.bulk_create(
        Organization(
            name=f"Bulk {i}",
            slug=f"bulk-{i}",
            country=countries[i % len(countries)],
            city=f"Grad {i % 13}",
            status=statuses[i % len(statuses)],
            approved_at=timezone.now() - timedelta(days=i % 300),
        )
        for i in range(start, start + count)
    )


def _map_queries() -> int:
    """The directory's map alone (the directory's own queries are its app's to test)."""
    from django.template import Context, Template

    with CaptureQueriesContext(connection) as captured:
        Template("{% load insights %}{% insights_directory_map %}").render(Context({}))
    return len(captured)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_query_counts_do_not_grow_from_10_to_1000_organizations(staff_client, client):
    pages = [reverse("staff_insights:overview"), reverse("staff_dashboard")]
    _bulk_organizations(10)
    for url in pages:  # the session's first staff request does its own bookkeeping
        _queries(staff_client, url)
    small = [_queries(staff_client, url) for url in pages]
    small_public = [_queries(client, "/"), _map_queries()]
    _bulk_organizations(990, start=10)
    assert [_queries(staff_client, url) for url in pages] == small
    assert [_queries(client, "/"), _map_queries()] == small_public


@pytest.mark.django_db
def test_onboarding_chart_counts_each_step_in_its_month():
    from onboarding.models import Invitation as JoinInvitation
    from onboarding.models import Registration

    now = timezone.now()
    period = periods.period("12m")
    this_month = period.bucket_of(now)
    for n in range(3):
        JoinInvitation.objects.create(
            email=f"j{n}@example.org",
            token_hash=f"{n:064d}",
            sent_at=now,
            expires_at=now + timedelta(days=14),
        )
    organization = factories.OrganizationFactory(approved_at=now)
    other = factories.OrganizationFactory(approved_at=now)  # approved, never registered here
    Registration.objects.create(user=factories.UserFactory(), organization=organization)
    Registration.objects.filter(organization=organization).update(submitted_at=now)
    Registration.objects.create(user=factories.UserFactory())
    meeting = factories.MeetingFactory(starts_at=now - timedelta(minutes=5), status="held")
    Attendance.objects.create(meeting=meeting, organization=organization)
    Attendance.objects.create(meeting=meeting, organization=other)

    chart = queries.onboarding_funnel(period)

    column = period.buckets().index(this_month)
    assert [series.values[column] for series in chart.series] == [3, 2, 1, 1, 1]
    assert [sum(series.values) for series in chart.series] == [3, 2, 1, 1, 1]
