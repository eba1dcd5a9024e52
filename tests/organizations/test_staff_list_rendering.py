"""The staff organization list and review queue render their rows in Python and keep their
filter form per process (bench/signed_in.py measures them): what staff see stays what the
templates showed, a new area is offered at once, and odd query strings fill no memory."""

import pytest
from django.urls import reverse

from core.templatetags import filter_forms
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("staff_organizations:list")


def test_rows_show_name_link_status_badges_and_stale_mark(role_client, settings):
    client = role_client("staff")
    settings.ORGANIZATION_FRESHNESS_DAYS = 30
    organization = factories.OrganizationFactory(
        name="Džemat <Čaršija>", city="Beč", country="AT", status="approved"
    )
    Organization.objects.filter(pk=organization.pk).update(
        last_confirmed_at="2020-01-01T10:00:00Z", verified_at="2020-01-02T10:00:00Z"
    )

    html = client.get(LIST, {"q": "carsija"}).content.decode()

    detail = reverse("staff_organizations:detail", args=[organization.pk])
    assert f'<a href="{detail}">Džemat &lt;Čaršija&gt;</a>' in html
    assert '<td data-label="Država">Austrija</td>' in html
    assert '<span class="badge badge--approved">Odobreno</span>' in html
    assert '<span class="badge badge--approved">Provjerena</span>' in html
    assert '<span class="badge badge--pending">Zastario</span>' in html


def test_the_review_queue_links_each_pending_organization(role_client):
    client = role_client("staff")
    pending = factories.OrganizationFactory(name="Klub Ljiljan", status="pending")

    html = client.get(reverse("staff_organizations:queue")).content.decode()

    detail = reverse("staff_organizations:detail", args=[pending.pk])
    assert f'<a href="{detail}">Klub Ljiljan</a>' in html


def test_a_new_area_is_offered_in_the_filter_at_once(role_client):
    client = role_client("staff")
    factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    assert "Kultura" in client.get(LIST).content.decode()

    factories.AreaFactory(slug="sport", names={"bs": "Sport", "en": "Sport"})

    html = client.get(LIST).content.decode()
    assert '<option value="sport">Sport</option>' in html


def test_the_filter_shows_the_chosen_values_and_errors_as_rendered_afresh(role_client):
    client = role_client("staff")
    factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    query = {"country": "XX", "status": "pending", "area": "kultura"}

    cached = client.get(LIST, query).content.decode()
    filter_forms._rendered.clear()
    afresh = client.get(LIST, query).content.decode()

    def form(html):
        start = html.index('<form class="filter-form"')
        return html[start : html.index("</form>", start)]

    assert form(cached) == form(afresh)
    assert 'value="pending" selected' in form(afresh)
    assert 'class="field field--error"' in form(afresh)


def test_random_query_strings_keep_the_filter_table_bounded(role_client, monkeypatch):
    client = role_client("staff")
    monkeypatch.setattr(filter_forms, "MAX_ENTRIES", 5)
    filter_forms._rendered.clear()

    for number in range(20):
        assert client.get(LIST, {"q": f"upit {number}"}).status_code == 200

    assert len(filter_forms._rendered) == 5


@pytest.mark.parametrize("query", ["", "status=pending&area=kultura&country=XX&q=most"])
def test_the_kept_filter_fields_are_djangos_own_rendering(query):
    from django.http import QueryDict

    from organizations.filters import StaffOrganizationFilter

    factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    factories.AreaFactory(slug="sport", names={"bs": "Sport", "en": "Sport"})
    filter_forms._rendered.clear()
    data = QueryDict(query) if query else None

    ours = filter_forms.filter_fields(StaffOrganizationFilter(data).form)
    fresh = StaffOrganizationFilter(data).form
    djangos = "\n".join(
        f'<div class="field{" field--error" if f.errors else ""}">{f.as_field_group()}</div>'
        for f in fresh
    )

    assert ours == djangos
    assert '<option value="sport">Sport</option>' in ours
