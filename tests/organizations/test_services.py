import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def test_search_document_holds_every_spelling_of_bosnian_letters():
    organization = factories.OrganizationFactory(name="Džemat Đakovo", city="Živinice")

    assert set(organization.search_document.split()) >= {"dzemat", "djakovo", "dakovo", "zivinice"}


def test_pending_organization_is_approved_and_its_admins_are_emailed(
    django_capture_on_commit_callbacks,
):
    staff = factories.StaffUserFactory()
    organization = factories.OrganizationFactory(status="pending", approved_at=None)
    admin = factories.MembershipFactory(organization=organization, role="admin").user

    services.approve_organization(organization=organization, by=staff)

    organization.refresh_from_db()
    assert organization.status == Organization.Status.APPROVED
    assert organization.approved_at is not None
    from mail.models import OutgoingEmail

    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [admin.email]
    assert organization.history.first().history_user == staff


def test_rejection_needs_a_reason():
    organization = factories.OrganizationFactory(status="pending", approved_at=None)

    with pytest.raises(ValidationError):
        services.reject_organization(organization=organization, by=None, reason="  ")

    organization.refresh_from_db()
    assert organization.status == "pending"


def test_an_approved_organization_cannot_be_rejected():
    organization = factories.OrganizationFactory(status="approved")

    with pytest.raises(services.TransitionNotAllowed):
        services.reject_organization(organization=organization, by=None, reason="No.")


def test_restored_organization_returns_to_the_directory_if_it_had_been_approved():
    organization = factories.OrganizationFactory(status="approved")
    services.archive_organization(organization=organization, by=None, reason="Closed")

    services.restore_organization(organization=organization, by=None)

    assert organization.status == "approved"


def test_similar_name_in_the_same_country_is_found_and_other_countries_are_not():
    existing = factories.OrganizationFactory(name="Udruženje Bosanaca Minhen", country="DE")
    factories.OrganizationFactory(name="Udruženje Bosanaca Minhen", country="AT")

    found = services.similar_organizations(name="Udruzenje bosanaca Minhen e.V.", country="DE")

    assert found == [existing]
