"""core.rows: rows read in plain SQL are the instances a queryset makes."""

import pytest

from core import rows
from organizations.models import Area, ContactPerson, Organization
from tests import factories

pytestmark = pytest.mark.django_db


def _values(instance, fields):
    return {field.attname: getattr(instance, field.attname) for field in fields}


def test_an_organization_read_in_plain_sql_is_the_one_the_orm_reads():
    made = factories.OrganizationFactory(
        name="Udruženje „Most“", country="AT", public_phone="+43 1 2345678"
    )
    fields = [f for f in Organization._meta.concrete_fields if f.name != "search_vector"]

    (read,) = rows.read(Organization, {"slug": made.slug}, exclude=("search_vector",))

    assert type(read) is Organization
    assert _values(read, fields) == _values(Organization.objects.get(pk=made.pk), fields)
    assert type(read.public_phone).__name__ == "PhoneNumber"  # through the field's converter
    assert "search_vector" in read.get_deferred_fields()
    assert not read._state.adding


def test_rows_come_in_the_models_order_and_only_those_asked_for():
    organization = factories.OrganizationFactory()
    other = factories.OrganizationFactory()
    for position in (2, 0, 1):
        ContactPerson.objects.create(organization=organization, name="Ana", position=position)
    ContactPerson.objects.create(organization=other, name="Edin")

    read = rows.read(ContactPerson, {"organization": organization.pk})

    assert [contact.position for contact in read] == [0, 1, 2]
    assert rows.read(Organization, {"slug": "nema-je"}) == []


def test_each_value_goes_through_its_fields_converters():
    area = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})

    (read,) = rows.read(Area, {"slug": "kultura"})

    assert read.names == {"bs": "Kultura", "en": "Culture"}  # JSON made a dict, as the ORM does
    assert read == area
