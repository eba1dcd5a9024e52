"""The CSV import: a dry run reports each row's problems and writes nothing; the confirmation
imports the good rows; the same file twice changes nothing; bad files are a clear 400."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from institutions.models import Institution
from tests import factories

pytestmark = pytest.mark.django_db

IMPORT = "/staff/institutions/import/"
CONFIRM = "/staff/institutions/import/confirm/"
HEADER = "key,name,kind,country,city,phone,email,covered_countries,active\n"
GOOD = (
    "ambasada-oslo,Ambasada BiH u Oslu,embassy,NO,Oslo,,ambasada.oslo@example.ba,NO IS,yes\n"
    ",Generalni konzulat BiH u Čikagu,consulate_general,US,Chicago,,,,da\n"
)
BAD = "ambasada-x,Ambasada X,palace,DE,Berlin,,not-an-address,,yes\n"


def upload(client, text, *, encoding="utf-8", name="institutions.csv"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(IMPORT, {"file": file})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def test_dry_run_reports_the_bad_rows_problems_and_writes_nothing(staff_client):
    response = upload(staff_client, HEADER + GOOD + BAD)

    assert response.status_code == 200
    html = response.content.decode()
    problems = html[
        html.index('id="import-problems"') : html.index(
            "</table>", html.index('id="import-problems"')
        )
    ]
    assert '<th scope="row">4</th>' in problems  # the header is row 1
    assert "kind" in problems and "email" in problems
    assert "palace" in problems
    assert not Institution.objects.exists()


def test_confirmed_import_writes_the_good_rows_and_skips_the_bad_one(staff_client):
    token = token_of(upload(staff_client, HEADER + GOOD + BAD))

    response = staff_client.post(CONFIRM, {"token": token})

    assert response.status_code == 302
    assert sorted(Institution.objects.values_list("key", flat=True)) == [
        "ambasada-oslo",
        "generalni-konzulat-bih-u-cikagu-chicago",
    ]
    oslo = Institution.objects.get(key="ambasada-oslo")
    assert [c.code for c in oslo.covered_countries] == ["IS", "NO"]
    assert oslo.history.get().history_user is not None


def test_importing_the_same_file_again_changes_nothing(staff_client):
    staff_client.post(CONFIRM, {"token": token_of(upload(staff_client, HEADER + GOOD))})
    before = list(Institution.objects.values_list("pk", "updated_at"))

    response = upload(staff_client, HEADER + GOOD)

    assert (
        "Unchanged: 2" in response.content.decode()
        or "Nepromijenjenih: 2" in response.content.decode()
    )
    assert 'name="token"' not in response.content.decode()
    assert list(Institution.objects.values_list("pk", "updated_at")) == before


def test_a_row_matched_by_its_key_is_updated(staff_client):
    factories.InstitutionFactory(key="ambasada-oslo", country="NO", city="Old")

    staff_client.post(CONFIRM, {"token": token_of(upload(staff_client, HEADER + GOOD))})

    assert Institution.objects.get(key="ambasada-oslo").city == "Oslo"


def test_semicolon_separated_file_with_a_bom_from_excel_is_read(staff_client):
    text = "\ufeff" + HEADER.replace(",", ";") + GOOD.splitlines()[0].replace(",", ";") + "\n"

    response = upload(staff_client, text)

    assert response.status_code == 200
    assert "Ambasada BiH u Oslu" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "encoding", "message"),
    [
        (HEADER + "ambasada,Ambasada Žepče,embassy,DE,Köln,,,,\n", "cp1250", "UTF-8"),
        ("name,kind,city\nX,embassy,Berlin\n", "utf-8", "country"),
        ("name,kind,country,city,colour\nX,embassy,DE,Berlin,red\n", "utf-8", "colour"),
        (HEADER, "utf-8", ""),
        ("", "utf-8", ""),
    ],
)
def test_a_bad_file_is_a_400_with_a_clear_message(staff_client, text, encoding, message):
    response = upload(staff_client, text, encoding=encoding)

    assert response.status_code in (400, 422)
    html = response.content.decode()
    assert "notice--error" in html or "error-summary" in html
    assert message in html
    assert not Institution.objects.exists()


def test_a_too_large_file_is_a_400(staff_client, settings):
    settings.INSTITUTIONS_IMPORT_MAX_BYTES = 200

    response = upload(staff_client, HEADER + GOOD * 10)

    assert response.status_code == 400
    assert 'id="import-error"' in response.content.decode()


def test_an_altered_confirmation_is_a_400_and_writes_nothing(staff_client):
    token = token_of(upload(staff_client, HEADER + GOOD))

    response = staff_client.post(CONFIRM, {"token": token[:-2] + "xx"})

    assert response.status_code == 400
    assert not Institution.objects.exists()


def test_the_template_file_has_every_column_and_guards_formulas(staff_client, monkeypatch):
    from institutions import csv_import

    monkeypatch.setattr(
        csv_import,
        "TEMPLATE_ROWS",
        [{"name": '=HYPERLINK("http://evil.example")', "kind": "other"}],
    )

    response = staff_client.get("/staff/institutions/import/template.csv")

    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(csv_import.COLUMN_NAMES)
    assert "'=HYPERLINK" in text


def test_the_template_file_itself_imports_without_problems(staff_client):
    template = staff_client.get("/staff/institutions/import/template.csv").content.decode(
        "utf-8-sig"
    )

    response = upload(staff_client, template)

    assert 'id="import-problems"' not in response.content.decode()
    assert "import-rows" in response.content.decode()
