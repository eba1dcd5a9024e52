"""Apps depend one way: the workspace uses the registry and meetings, never the reverse."""

from pathlib import Path

from tests.meetings.test_boundaries import _imported_modules

ROOT = Path(__file__).resolve().parents[2]


def test_organizations_and_meetings_never_import_the_workspace():
    offenders = {
        str(path.relative_to(ROOT)): names
        for app in ("organizations", "meetings")
        for path in (ROOT / app).rglob("*.py")
        if (names := sorted(n for n in _imported_modules(path) if n.split(".")[0] == "workspace"))
    }

    assert offenders == {}
