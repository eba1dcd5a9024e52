"""The house has floors: a module may import its own app and the apps on the floors below it,
never one above. The floors, from the ground up (LAYERS):

    core             what every app may use and that knows no app
    accounts         users, sessions, the staff rule, two-factor
    mail             the outbox (it renders allauth's e-mails too, so it stands on accounts)
    institutions     embassies and consulates (profiles show them, so below organizations)
    organizations    the registry, organization roles
    onboarding       registration, checklist (meetings and the workspace register providers)
    meetings         meetings, invitations, minutes
    experts          the expert roster (above meetings)
    workspace        noticeboard, channels, digest (its digest lists meetings ahead)
    privacy          copies and erasure over every app's personal_data module, retention
    insights         read everything
    opendata         read everything
    diaspora_portal  settings, URLs, Celery, the home page and staff dashboard: the roof

Why this order and not another: mail stands on accounts because the staff outbox page uses
the staff rule and allauth's e-mails go through the outbox (mail/account_emails.py), while
accounts needs no e-mail of its own; onboarding stands below meetings because meetings tick
the checklist when an organization answers an invitation, and meetings reach the onboarding
funnel only by registering a count (onboarding/providers.py); privacy stands above the
product apps because it serves an organization's copy to that organization's admins
(organizations.roles), and otherwise learns of the apps only through their personal_data
modules; onboarding's consent reaches it by a signal (onboarding/signals.py).

Every import counts, also those inside functions (where a cycle hides). A listed app that does
not exist yet is simply skipped: add a new app to LAYERS on its floor, one line. Entry points
(tests, bench, manage.py, gunicorn.conf.py) stand outside the house and may import anything;
the embedded launcher (launcher/) imports neither Django nor the portal.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS = [
    "core",
    "accounts",
    "mail",
    "institutions",
    "organizations",
    "onboarding",
    "meetings",
    "experts",
    "workspace",
    "privacy",
    "insights",
    "opendata",
    "diaspora_portal",
]
FLOOR = {app: floor for floor, app in enumerate(LAYERS)}


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports, relative imports resolved, with its line."""
    # The package a relative import starts from (``core/x.py`` and ``core/__init__.py``: core).
    package = list(path.relative_to(ROOT).parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((name, node.lineno))
    return found


def _modules(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


def _upward_imports(app: str) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _modules(app)
        for name, line in imported_modules(path)
        if FLOOR.get(name.split(".")[0], -1) > FLOOR[app]
    ]


@pytest.mark.parametrize("app", [app for app in LAYERS if (ROOT / app).is_dir()])
def test_no_app_imports_an_app_on_a_floor_above_it(app):
    assert _upward_imports(app) == []


def test_the_layers_hold_every_app_of_the_project():
    """A new app must be given its floor (or it would escape the check)."""
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - set(LAYERS) == set()


def test_the_embedded_launcher_imports_neither_django_nor_the_portal():
    outside = {"django", "celery", *LAYERS}
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _modules("launcher")
        for name, line in imported_modules(path)
        if name.split(".")[0] in outside
    ]
    assert offenders == []


def test_the_check_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    """The test above must fail on the kind of import it exists for."""
    package = tmp_path / "core"
    package.mkdir()
    (package / "helpers.py").write_text(
        "def f():\n    from organizations.models import Membership\n    from . import other\n"
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _upward_imports("core") == ["core/helpers.py:2 imports organizations.models"]


def test_privacy_learns_of_the_apps_through_their_personal_data_modules():
    """Export, erasure and retention go through each app's personal_data.py; privacy names only
    the organization (its copy for the admins) and onboarding's consent signal."""
    allowed = {"organizations.models", "organizations.roles", "onboarding.signals"}
    product = set(LAYERS[FLOOR["organizations"] : FLOOR["privacy"]]) | {"institutions"}
    named = {
        name
        for path in _modules("privacy")
        for name, _line in imported_modules(path)
        if name.split(".")[0] in product and "migrations" not in path.parts
    }
    assert named <= allowed, named - allowed
