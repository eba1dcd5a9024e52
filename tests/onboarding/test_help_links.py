"""The guides for joining are reachable from the join page and from every registration step."""

import pytest

from onboarding import services
from onboarding.models import STEPS, Registration
from tests.onboarding.conftest import step_url

pytestmark = pytest.mark.django_db

HELP = 'href="/onboarding/help/"'


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_the_join_page_links_the_guides(client):
    html = client.get("/onboarding/").content.decode()

    assert HELP in _main(html)


@pytest.mark.parametrize("step", STEPS)
def test_every_registration_step_links_help_with_this_step(client, registrant, step):
    registration = services.open_registration(user=registrant)
    Registration.objects.filter(pk=registration.pk).update(step=STEPS[-1])

    response = client.get(step_url(step))

    assert response.status_code == 200
    assert HELP in _main(response.content.decode())
