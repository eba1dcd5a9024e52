"""The test suite's own tools: in CI a missing browser, axe-core or vnu.jar fails instead of
skipping."""

import pytest

from tests import conftest

OUTCOMES = [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]


def _outcome_of(function):
    """What a fixture function raised (skip and fail are BaseExceptions, caught here)."""
    try:
        result = function()
        if hasattr(result, "__next__"):
            next(result)
    except BaseException as outcome:
        return outcome
    return None


@pytest.mark.parametrize(("ci", "expected"), OUTCOMES)
def test_missing_chromium_fails_in_ci_and_skips_elsewhere(monkeypatch, ci, expected):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(conftest, "CHROMIUM", None)

    outcome = _outcome_of(conftest.browser._get_wrapped_function())

    assert type(outcome) is expected
    assert "chromium" in str(outcome)


@pytest.mark.parametrize(("ci", "expected"), OUTCOMES)
def test_missing_axe_core_fails_in_ci_and_skips_elsewhere(monkeypatch, tmp_path, ci, expected):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(conftest, "AXE_PATH", tmp_path / "axe.min.js")

    outcome = _outcome_of(conftest.axe_source._get_wrapped_function())

    assert type(outcome) is expected
    assert "axe-core" in str(outcome)


@pytest.mark.parametrize(("ci", "expected"), OUTCOMES)
def test_missing_vnu_jar_fails_in_ci_and_skips_elsewhere(monkeypatch, tmp_path, ci, expected):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(conftest, "VNU_JAR", tmp_path / "vnu.jar")

    outcome = _outcome_of(lambda: conftest.html_checker._get_wrapped_function()(None))

    assert type(outcome) is expected
    assert "vnu.jar" in str(outcome)


@pytest.mark.django_db
def test_other_processes_are_handed_the_very_database_the_tests_use():
    # given the URL the tests hand to worker processes and second connections
    import psycopg
    from django.db import connection

    from tests.support.database import database_url

    where = "SELECT current_database(), current_setting('data_directory')"
    with connection.cursor() as cursor:
        cursor.execute(where)
        ours = cursor.fetchone()

    # when another connection follows it, then it reaches the same server and database (the
    # embedded PostgreSQL listens on a socket of its own, not on the machine's default)
    with psycopg.connect(database_url(), connect_timeout=5) as other:
        assert other.execute(where).fetchone() == ours
