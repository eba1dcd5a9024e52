"""Search finds Latin and Cyrillic spellings alike."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def _directory(client, query: str) -> str:
    return client.get("/organizations/", {"q": query}).content.decode()


@pytest.mark.parametrize("query", ["Бања Лука", "бања", "Banja Luka", "banja"])
def test_a_latin_name_is_found_by_either_script(client, query):
    factories.OrganizationFactory(name="Zavičajni klub Banja Luka", status="approved")
    factories.OrganizationFactory(name="Udruženje Tuzla", status="approved")

    html = _directory(client, query)

    assert "Zavičajni klub Banja Luka" in html
    assert "Udruženje Tuzla" not in html


@pytest.mark.parametrize("query", ["Бања Лука", "Banja Luka", "banja luka", "Ljubuški"])
def test_a_cyrillic_name_is_found_by_either_script(client, query):
    factories.OrganizationFactory(name="Завичајни клуб Бања Лука Љубушки", status="approved")

    assert "Завичајни клуб Бања Лука Љубушки" in _directory(client, query)


@pytest.mark.parametrize("query", ["Ђурђевац", "Đurđevac", "djurdjevac", "Džemat", "Џемат"])
def test_letters_with_marks_and_digraphs_match_across_scripts(client, query):
    factories.OrganizationFactory(name="Džemat Đurđevac", status="approved")

    assert "Džemat Đurđevac" in _directory(client, query)
