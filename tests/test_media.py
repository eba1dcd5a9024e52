import pytest

pytestmark = pytest.mark.django_db


def test_uploaded_logo_is_served_with_a_sandboxing_policy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "ljiljan.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    response = client.get("/media/logos/ljiljan.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path", ["/media/../settings.py", "/media/%2e%2e/manage.py", "/media/nope.png"]
)
def test_nothing_outside_the_uploads_or_missing_is_served(client, settings, tmp_path, path):
    settings.MEDIA_ROOT = tmp_path

    assert client.get(path).status_code in (400, 404)
