"""Apps depend one way: meetings use the registry, the registry's Python never imports meetings."""

import ast
from pathlib import Path

ORGANIZATIONS = Path(__file__).resolve().parents[2] / "organizations"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_organizations_never_import_meetings():
    offenders = {
        str(path.relative_to(ORGANIZATIONS.parent)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "meetings"
        )
        for path in ORGANIZATIONS.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
