"""After an erasure, an archive, a hidden post or a contact made private, no visitor gets the old
page from the shared page cache; a process that could not renew the cache's generation serves
no cached page until it can."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError

from core.page_cache import forget_pages
from organizations import services as organization_services
from privacy import services as privacy_services
from tests import factories
from workspace import services as workspace_services
from workspace.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        forget_pages()


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a change's on-commit work (the generation renewal), as the request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _post(**fields):
    organization = fields.pop("organization", None) or factories.OrganizationFactory()
    post = Post.objects.create(
        kind=Post.Kind.CALL_FOR_PARTNERS,
        organization=organization,
        title="Ljetna škola u Sarajevu",
        body="Tražimo partnere.",
        country="BA",
        city="Sarajevo",
        **fields,
    )
    return post


def test_an_erased_persons_address_leaves_the_cached_profile_at_once(client, committing):
    # an organization published the person's own address (she is no member: nothing of the
    # organization's own rows changes but that address)
    person = factories.UserFactory(email="amra.osobno@example.org")
    organization = factories.OrganizationFactory(public_email="amra.osobno@example.org")
    path = organization.get_absolute_url()
    assert "amra.osobno@example.org" in client.get(path).content.decode()

    with committing():
        privacy_services.erase_user(request=None, user=person, by=person)

    assert "amra.osobno@example.org" not in client.get(path).content.decode()


def test_an_archived_organization_leaves_the_cached_directory_and_profile(client, committing):
    organization = factories.OrganizationFactory(name="Klub Drina Beč")
    path = organization.get_absolute_url()
    assert client.get(path).status_code == 200
    assert "Klub Drina Beč" in client.get("/organizations/").content.decode()

    with committing():
        organization_services.archive_organization(organization=organization, by=None)

    assert client.get(path).status_code == 404
    assert "Klub Drina Beč" not in client.get("/organizations/").content.decode()


def test_a_hidden_post_leaves_the_cached_board_and_page(client, committing, staff_user):
    post = _post()
    path = post.get_absolute_url()
    assert client.get(path).status_code == 200
    assert "Ljetna škola u Sarajevu" in client.get("/workspace/").content.decode()

    with committing():
        workspace_services.hide_post(post=post, by=staff_user, reason="Neprimjereno")

    assert client.get(path).status_code == 404
    assert "Ljetna škola u Sarajevu" not in client.get("/workspace/").content.decode()


def test_a_contact_made_private_again_leaves_the_cached_profile(client, committing):
    contact = factories.ContactFactory(name="Selma Hadžić", is_public=True)
    path = contact.organization.get_absolute_url()
    assert "Selma Hadžić" in client.get(path).content.decode()

    with committing():
        contact.is_public = False
        contact.save()

    assert "Selma Hadžić" not in client.get(path).content.decode()


class _Writes:
    """Switch the cache Redis between accepting and refusing writes (reads keep working)."""

    def __init__(self, monkeypatch):
        self.refusing = False
        real_set = RedisCacheClient.set
        writes = self

        def set_or_refuse(client, *args, **kwargs):
            if writes.refusing:
                raise RedisConnectionError("refused")
            return real_set(client, *args, **kwargs)

        monkeypatch.setattr(RedisCacheClient, "set", set_or_refuse)

    def refuse(self):
        self.refusing = True

    def accept(self):
        self.refusing = False

    @staticmethod
    def back_off_over():
        # The process's short back-off after an error is over: it reaches Redis again.
        caches["default"]._down_until = 0.0


@pytest.fixture
def writes(monkeypatch):
    return _Writes(monkeypatch)


def test_a_process_that_could_not_renew_the_generation_serves_no_cached_page(
    client, committing, writes
):
    # given a profile in the page cache
    organization = factories.OrganizationFactory(public_email="stari@example.org")
    path = organization.get_absolute_url()
    assert "stari@example.org" in client.get(path).content.decode()

    # when a change commits while Redis refuses the renewal of the generation
    writes.refuse()
    with committing():
        organization.public_email = "novi@example.org"
        organization.save()
    writes.back_off_over()

    # then the process serves no cached page while it cannot renew
    page = client.get(path).content.decode()
    assert "novi@example.org" in page and "stari@example.org" not in page
    writes.back_off_over()
    assert "stari@example.org" not in client.get(path).content.decode()


def test_the_process_uses_the_cache_again_once_it_renewed_the_generation(
    client, committing, writes, django_assert_num_queries
):
    organization = factories.OrganizationFactory(public_email="stari@example.org")
    path = organization.get_absolute_url()
    client.get(path)
    writes.refuse()
    with committing():
        organization.public_email = "novi@example.org"
        organization.save()

    writes.accept()
    writes.back_off_over()
    assert "novi@example.org" in client.get(path).content.decode()

    with django_assert_num_queries(0):
        assert "novi@example.org" in client.get(path).content.decode()


def test_directory_counts_are_counted_afresh_while_their_generation_could_not_be_renewed(
    writes,
):
    from organizations import facets

    assert facets.cached_counts("country", {}, lambda: 1) == 1
    assert facets.cached_counts("country", {}, lambda: 2) == 1  # from the cache

    writes.refuse()
    facets.forget_counts()
    writes.back_off_over()

    assert facets.cached_counts("country", {}, lambda: 2) == 2
    assert facets.cached_counts("country", {}, lambda: 3) == 3


def test_a_process_that_could_not_renew_the_generation_builds_its_fragments_afresh(
    client, committing, writes, settings, user
):
    # given a signed-in person (never served from the page cache) with the profile's public
    # parts in the fragment cache
    settings.FRAGMENT_CACHE_SECONDS = 300
    client.force_login(user)
    organization = factories.OrganizationFactory(public_email="stari@example.org")
    path = organization.get_absolute_url()
    client.get(path)
    assert "stari@example.org" in client.get(path).content.decode()

    # when a change commits while Redis refuses the renewal of the generation
    writes.refuse()
    with committing():
        organization.public_email = "novi@example.org"
        organization.save()
    writes.back_off_over()

    # then the process builds the fragments afresh while it cannot renew, and after it could
    page = client.get(path).content.decode()
    assert "novi@example.org" in page and "stari@example.org" not in page
    writes.accept()
    writes.back_off_over()
    assert "novi@example.org" in client.get(path).content.decode()
    assert "novi@example.org" in client.get(path).content.decode()
