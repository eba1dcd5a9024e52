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
        name='Džemat <Čaršija> & "Most"', city="Beč 'Dunav'", country="AT", status="approved"
    )
    Organization.objects.filter(pk=organization.pk).update(
        last_confirmed_at="2020-01-01T10:00:00Z", verified_at="2020-01-02T10:00:00Z"
    )

    html = client.get(LIST, {"q": "carsija"}).content.decode()

    detail = reverse("staff_organizations:detail", args=[organization.pk])
    assert f'<a href="{detail}">Džemat &lt;Čaršija&gt; &amp; &quot;Most&quot;</a>' in html
    assert '<td data-label="Država">Austrija</td>' in html
    assert '<td data-label="Grad">Beč &#x27;Dunav&#x27;</td>' in html
    assert '<span class="badge badge--approved">Odobreno</span>' in html
    assert '<span class="badge badge--approved">Provjerena</span>' in html
    assert '<span class="badge badge--pending">Zastario</span>' in html


def test_the_review_queue_links_each_pending_organization(role_client):
    client = role_client("staff")
    pending = factories.OrganizationFactory(name="Klub Ljiljan", status="pending")

    html = client.get(reverse("staff_organizations:queue")).content.decode()

    detail = reverse("staff_organizations:detail", args=[pending.pk])
    assert f'<a href="{detail}">Klub Ljiljan</a>' in html
    # On a phone the queue stacks each row as a card, each cell under its column's name.
    assert '<table class="table table--stack">' in html
    assert '<td data-label="Država">' in html
    assert '<td data-label="Poslano">' in html


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

    ours = filter_forms.filter_fields({"request": None}, StaffOrganizationFilter(data))
    fresh = StaffOrganizationFilter(data).form
    djangos = "\n".join(
        f'<div class="field{" field--error" if f.errors else ""}">{f.as_field_group()}</div>'
        for f in fresh
    )

    assert ours == djangos
    assert '<option value="sport">Sport</option>' in ours


# --- With public fragments kept (as in production), areas are known by the public generation ---


@pytest.fixture
def fragments_kept(settings, django_capture_on_commit_callbacks):
    """Public fragments on, a generation of this test's own (the database is rolled back after
    each test, the shared cache is not)."""
    from core.page_cache import forget_pages

    settings.FRAGMENT_CACHE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        forget_pages()
    return django_capture_on_commit_callbacks


def test_kept_filter_reads_no_areas_yet_a_new_area_shows_once_committed(
    role_client, fragments_kept, django_assert_num_queries
):
    client = role_client("staff")
    with fragments_kept(execute=True):
        factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    client.get(LIST)

    # The session with the user, the count and the page: no query for the areas, which the
    # generation stands for.
    with django_assert_num_queries(3):
        html = client.get(LIST).content.decode()
    assert '<option value="kultura">Kultura</option>' in html

    with fragments_kept(execute=True):
        factories.AreaFactory(slug="sport", names={"bs": "Sport", "en": "Sport"})
    assert '<option value="sport">Sport</option>' in client.get(LIST).content.decode()


def test_choices_of_a_model_that_renews_no_generation_are_read_each_time(fragments_kept):
    # Fields of expertise live in the experts app, whose changes renew no public generation.
    from experts.filters import ExpertFilter
    from experts.models import Expertise

    Expertise.objects.create(slug="medicina", names={"bs": "Medicina", "en": "Medicine"})
    assert "Medicina" in filter_forms.filter_fields({"request": None}, ExpertFilter(None))

    Expertise.objects.create(slug="pravo", names={"bs": "Pravo", "en": "Law"})  # not committed

    assert "Pravo" in filter_forms.filter_fields({"request": None}, ExpertFilter(None))


def test_choices_that_are_only_some_rows_are_read_each_time(fragments_kept):
    # A field offering part of a table may depend on anything (who asks, say): never the
    # generation, even for a model that renews it.
    import django_filters

    from organizations.models import Area

    class SomeAreas(django_filters.FilterSet):
        area = django_filters.ModelChoiceFilter(
            field_name="areas", queryset=Area.objects.filter(slug__startswith="k")
        )

        class Meta:
            model = Organization
            fields = ["area"]

    factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    assert "Kultura" in filter_forms.filter_fields({"request": None}, SomeAreas(None))

    factories.AreaFactory(slug="kino", names={"bs": "Kino", "en": "Cinema"})  # not committed

    assert "Kino" in filter_forms.filter_fields({"request": None}, SomeAreas(None))
