"""Bosnian is complete: every string the code marks for translation has a Bosnian text."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOG = Path("locale/bs/LC_MESSAGES/django.po")
SOURCES = [
    "accounts",
    "diaspora_portal",
    "mail",
    "organizations",
    "meetings",
    "onboarding",
    "workspace",
    "institutions",
    "opendata",
    "templates",
]


def _statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
        check=True,
    )
    return result.stderr.strip()


def _msgids(po: Path) -> set[str]:
    text = po.read_text()
    ids = set()
    for block in text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match:
            ids.add("".join(re.findall(r'"(.*)"', match.group(1))))
    ids.discard("")
    return ids


@pytest.mark.parametrize(
    "po",
    sorted(p.relative_to(BASE_DIR) for p in BASE_DIR.glob("locale*/**/bs/LC_MESSAGES/*.po")),
    ids=str,
)
def test_bosnian_catalog_has_no_untranslated_or_fuzzy_entries(po):
    statistics = _statistics(BASE_DIR / po)

    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics


@pytest.mark.slow
def test_every_translatable_string_of_the_code_is_in_the_bosnian_catalog(tmp_path):
    # makemessages writes into the tree it runs in: run it on a copy.
    copy = tmp_path / "portal"
    copy.mkdir()
    for name in [*SOURCES, "locale", "manage.py"]:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, copy / name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "bs",
            "--no-obsolete",
            "--add-location",
            "file",
        ],
        cwd=copy,
        env={**os.environ, "DJANGO_DEBUG": "1", "PYTHONPATH": str(BASE_DIR)},
        check=True,
        capture_output=True,
    )

    missing = _msgids(copy / CATALOG) - _msgids(BASE_DIR / CATALOG)

    assert not missing, f"not in {CATALOG} (run makemessages and translate): {sorted(missing)}"
