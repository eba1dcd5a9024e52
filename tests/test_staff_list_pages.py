"""Paginated lists answer a page number that is not a page with a clear message and a 422,
showing the first page (not a number) or the last one (past the end), as the public lists do;
the staff registry answers filters it cannot use with their errors and a 422 too."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core import pages
from tests import factories

pytestmark = pytest.mark.django_db

PAGINATED = [
    "staff_organizations:list",
    "staff_organizations:queue",
    "staff_meetings:list",
    "staff_mail:failed",
    "staff_workspace:pipeline",
    "staff_workspace:moderation",
    "staff_experts:list",
    "staff_privacy:audit",
    "experts:roster",
]


@pytest.mark.parametrize("name", PAGINATED)
@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("abc", pages.INVALID_PAGE),
        ("0", pages.INVALID_PAGE),
        ("999", pages.PAST_THE_LAST_PAGE),
    ],
)
def test_a_page_that_is_not_one_gets_a_message_and_a_422(staff_client, name, page, message):
    response = staff_client.get(reverse(name), {"page": page})

    assert response.status_code == 422
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        shown = escape(str(message))
    assert f'id="page-error">{shown}</div>' in response.content.decode()


@pytest.mark.parametrize("name", PAGINATED)
def test_a_page_that_is_one_gets_no_message(staff_client, name):
    response = staff_client.get(reverse(name), {"page": "1"})

    assert response.status_code == 200
    assert 'id="page-error"' not in response.content.decode()


def test_the_registry_answers_filters_it_cannot_use_with_their_errors_and_a_422(staff_client):
    factories.OrganizationFactory(name="Udruženje Most", country="AT")
    url = reverse("staff_organizations:list")

    response = staff_client.get(url, {"country": "XX", "status": "approved"})

    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="field field--error"' in html
    assert "Udruženje Most" in html  # the filter it can use still applies
    assert staff_client.get(url, {"country": "AT"}).status_code == 200
