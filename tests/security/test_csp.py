"""The Content Security Policy allows no inline script or style and no eval, on every kind of
page: public, signed-in, staff, API and error pages."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/organizations/", "/meetings/", "/accounts/login/", "/api/docs/", "/no-such-page/"]


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", PAGES)
def test_policy_forbids_inline_code_and_eval(client, path):
    directives = _directives(client.get(path))

    for name in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in directives.get(name, ""), (path, name)
        assert "'unsafe-eval'" not in directives.get(name, ""), (path, name)
    assert directives["object-src"] == "object-src 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"


def test_staff_pages_carry_the_same_policy(staff_client):
    directives = _directives(staff_client.get("/staff/"))

    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
