"""Every interface language is complete: every string the code marks for translation has a text
in Bosnian, Croatian, Serbian Latin and Serbian Cyrillic (made from the Latin catalogue at build
time); English is the language of the code."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOG = Path("locale/bs/LC_MESSAGES/django.po")
# Catalogue folders of the interface languages (English needs none).
LOCALES = ["bs", "hr", "sr_Latn", "sr"]
# Every app of the project and the project's templates: all that may hold translatable strings.
SOURCES = sorted(
    path.name
    for path in BASE_DIR.iterdir()
    if (path / "__init__.py").exists() and path.name not in {"tests", "bench"}
) + ["templates"]


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


def _catalogues() -> list[Path]:
    return sorted(
        path.relative_to(BASE_DIR)
        for locale in LOCALES
        for path in BASE_DIR.glob(f"locale*/**/{locale}/LC_MESSAGES/*.po")
    )


def test_every_language_has_a_catalogue_beside_each_bosnian_one():
    bosnian = [path for path in _catalogues() if path.parts[-3] == "bs"]

    for path in bosnian:
        for locale in LOCALES:
            twin = BASE_DIR / path.parent.parent.parent / locale / "LC_MESSAGES" / path.name
            assert twin.exists(), f"{twin} is missing (bin/test makes sr from sr_Latn)"


@pytest.mark.parametrize("po", _catalogues(), ids=str)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(po):
    statistics = _statistics(BASE_DIR / po)

    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics


@pytest.mark.parametrize(
    "po", [path for path in _catalogues() if path.parts[-3] in {"hr", "sr_Latn", "sr"}], ids=str
)
def test_catalogue_holds_exactly_the_strings_of_the_bosnian_one(po):
    bosnian = BASE_DIR / po.parent.parent.parent / "bs" / "LC_MESSAGES" / po.name

    assert _msgids(BASE_DIR / po) == _msgids(bosnian)


@pytest.mark.parametrize(
    "po", sorted(BASE_DIR.glob("locale*/**/sr_Latn/LC_MESSAGES/*.po")), ids=str
)
def test_the_cyrillic_catalogue_is_the_latin_one_transliterated(po):
    from core.transliteration import po_to_cyrillic

    cyrillic = po.parent.parent.parent / "sr" / "LC_MESSAGES" / po.name

    assert cyrillic.read_text() == po_to_cyrillic(po.read_text())


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


# Texts kept as one template per language: each written language has its own, and the Serbian
# Cyrillic one is made from the Serbian Latin one at build time.
PER_LANGUAGE_TEMPLATES = [
    BASE_DIR / "privacy" / "templates" / "privacy" / "notices",
    BASE_DIR / "onboarding" / "templates" / "onboarding" / "policy",
]


@pytest.mark.parametrize(
    "folder",
    [
        folder
        for root in PER_LANGUAGE_TEMPLATES
        for folder in [root, *root.iterdir()]
        if folder.is_dir() and any(folder.glob("bs.html"))
    ],
    ids=str,
)
def test_texts_kept_per_language_exist_in_every_language(folder):
    from core.transliteration import to_cyrillic

    for language in ["bs", "hr", "sr-latn", "sr", "en"]:
        assert (folder / f"{language}.html").exists(), f"{folder}/{language}.html"
    latin = (folder / "sr-latn.html").read_text()
    assert (folder / "sr.html").read_text() == to_cyrillic(latin)
