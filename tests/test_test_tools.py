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
