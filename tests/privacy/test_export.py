import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from privacy import services
from privacy.models import DataExport
from tests import factories
from tests.privacy.conftest import export_link

pytestmark = pytest.mark.django_db


def _prepared_copy(client, django_capture_on_commit_callbacks, user) -> DataExport:
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("privacy:request_export"))
    assert response.status_code == 302
    export = DataExport.objects.get(requested_by=user)
    services.prepare_export(export_id=export.pk)  # what the Celery task runs
    export.refresh_from_db()
    return export


def test_user_copy_holds_what_the_user_owns_and_nothing_of_others(world):
    amra, tarik = world["amra"], world["tarik"]

    data = json.dumps(services.build_user_export(amra["user"]), default=str, ensure_ascii=False)

    for owned in [
        "amra@example.org",
        "Amra Kovačević",
        amra["phone"],
        "Udruženje Most Berlin",
        "amra.colleague@example.org",
        "amra.friend@example.org",
        "Dolazimo, Amra Kovačević",
        "Nacrt amra",
        "Dobrodošli, Amra Kovačević",
    ]:
        assert owned in data, owned
    for foreign in [
        "tarik@example.org",
        "Tarik",
        tarik["phone"],
        "Malmö",
        "tarik.friend",
        "tarik.colleague",
    ]:
        assert foreign not in data, foreign
    # A second factor is named, never its secret.
    assert '"data"' not in json.dumps(
        services.build_user_export(amra["user"])["sections"]["accounts"], default=str
    )


def test_organization_copy_holds_only_that_organization(world):
    data = json.dumps(
        services.build_organization_export(world["amra"]["organization"]),
        default=str,
        ensure_ascii=False,
    )

    assert "Udruženje Most Berlin" in data
    assert world["amra"]["phone"] in data
    assert "Dolazimo" in data
    assert "Malmö" not in data and "tarik" not in data.lower()
    assert "staff_notes" not in data


def test_copy_link_works_once_only_for_its_owner(client, world, django_capture_on_commit_callbacks):
    amra = world["amra"]["user"]
    _prepared_copy(client, django_capture_on_commit_callbacks, amra)
    link = export_link(amra.email)

    client.force_login(world["tarik"]["user"])
    assert client.get(link).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302  # to the login page

    client.force_login(amra)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    copy = json.loads(response.content)
    assert copy["sections"]["accounts"]["account"]["email"] == amra.email
    export = DataExport.objects.get(requested_by=amra)
    assert export.status == DataExport.Status.DOWNLOADED
    assert not services.export_file(export).exists()  # deleted after the download

    assert client.get(link).status_code == 410


def test_copy_link_expires(client, world, django_capture_on_commit_callbacks):
    amra = world["amra"]["user"]
    export = _prepared_copy(client, django_capture_on_commit_callbacks, amra)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(export_link(amra.email)).status_code == 410
    assert services.expire_exports() == 1
    assert not services.export_file(DataExport.objects.get(pk=export.pk)).exists()


def test_copy_file_is_not_under_a_public_directory(
    settings, client, world, django_capture_on_commit_callbacks
):
    from diaspora_portal import settings as project_settings

    export = _prepared_copy(client, django_capture_on_commit_callbacks, world["amra"]["user"])

    path = project_settings.PRIVACY_EXPORT_ROOT
    assert not str(path).startswith(str(project_settings.MEDIA_ROOT))
    assert not str(path).startswith(str(project_settings.STATIC_ROOT))
    assert services.export_file(export).stat().st_mode & 0o077 == 0


def test_only_an_admin_of_the_organization_asks_for_its_copy(
    client, world, django_capture_on_commit_callbacks
):
    organization = world["amra"]["organization"]
    url = reverse("privacy:organization_export", args=[organization.slug])
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, organization=organization, role="member")

    for outsider in [member, world["tarik"]["user"]]:
        client.force_login(outsider)
        assert client.post(url).status_code == 403
    assert not DataExport.objects.exists()

    client.force_login(world["amra"]["user"])
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url).status_code == 302
    export = DataExport.objects.get(organization=organization)
    services.prepare_export(export_id=export.pk)
    assert client.get(export_link("amra@example.org")).status_code == 200


def test_staff_copy_on_someones_behalf_is_logged(
    staff_client, staff_user_with_mfa, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = staff_client.post(
            reverse("staff_privacy:overview"), {"export-email": "amra@example.org"}
        )

    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.requested_by == staff_user_with_mfa
    assert export.subject_user == world["amra"]["user"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DATA_EXPORT)
    assert entry.actor == staff_user_with_mfa
    assert entry.object_id == str(world["amra"]["user"].pk)


def test_asking_twice_prepares_one_copy(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["amra"]["user"])

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:request_export"))
        client.post(reverse("privacy:request_export"))

    assert DataExport.objects.count() == 1


@pytest.mark.parametrize("change", ["made_a_member", "left"])
def test_organization_copy_link_is_refused_to_someone_no_longer_its_admin(
    client, world, django_capture_on_commit_callbacks, change
):
    organization = world["amra"]["organization"]
    amra = world["amra"]["user"]
    client.force_login(amra)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:organization_export", args=[organization.slug]))
    export = DataExport.objects.get(organization=organization)
    services.prepare_export(export_id=export.pk)
    link = export_link("amra@example.org")
    membership = organization.memberships.get(user=amra)
    if change == "made_a_member":
        membership.role = "member"
        membership.save()
    else:
        membership.delete()

    response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "no longer an admin" in response.content.decode()
    assert "json" not in response["Content-Type"]
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY  # not taken: it expires unserved
