"""Serbian Latin (Gaj's alphabet) to Serbian Cyrillic (Vuk's alphabet).

Used at build time to produce the Cyrillic catalogues and per-language templates from the Latin
ones (``python -m core.transliteration catalogues .``) and, on a reader's request, to show Latin
user content in Cyrillic without storing a second copy. It needs no Django.

"lj", "nj" and "dž" are single letters (љ, њ, џ) except in the words where they meet across a
prefix ("injekcija" is ин-јекција, "nadživjeti" is над-живјети): ``_NOT_DIGRAPHS`` lists those
stems. What is not Serbian text is left alone: URLs, e-mail addresses, HTML tags and entities,
placeholders (``%(name)s``, ``%s``, ``{count}``, ``{{ var }}``), names of formats and standards
(CSV, JSON, iCalendar) and words with letters Serbian does not have (q, w, x, y).
"""

import re
import sys
from pathlib import Path

_LETTERS = {
    "a": "а",
    "b": "б",
    "c": "ц",
    "č": "ч",
    "ć": "ћ",
    "d": "д",
    "đ": "ђ",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "j": "ј",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "š": "ш",
    "t": "т",
    "u": "у",
    "v": "в",
    "z": "з",
    "ž": "ж",
}
_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
# Stems in which the two letters of a digraph belong to different parts of the word
# (a prefix and a root); each is written with "|" where the parts meet.
_NOT_DIGRAPHS = (
    "in|jek",
    "in|jun",
    "kon|jug",
    "kon|junk",
    "van|jez",
    "van|jug",
    "tan|jug",
    "nad|žanj",
    "nad|žet",
    "nad|živ",
    "nad|žnj",
    "nad|žup",
    "od|žal",
    "od|živ",
    "pod|žanr",
    "pod|žel",
    "pod|žup",
    "pred|živ",
)
# Written in Latin in Serbian Cyrillic text too (in any case: "Online check-in", ".ics").
KEEP_LATIN = (
    "API",
    "Atom",
    "CC BY",
    "CSV",
    "Check-In",
    "Diaspora Online",
    "Frictionless",
    "HTML",
    "ICS",
    "Online",
    "JSON",
    "Markdown",
    "PDF",
    "Popolo",
    "QR",
    "RSS",
    "SMTP",
    "SVG",
    "TOTP",
    "URL",
    "iCalendar",
    "htmx",
)
_PROTECTED = re.compile(
    "|".join(
        [
            r"https?://[^\s<>\"')]+",  # URLs
            r"www\.[^\s<>\"')]+",
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
            r"<[^>]*>",  # HTML tags
            r"&#?\w+;",  # HTML entities
            r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]",  # %(name)s
            r"%[-#0 +]*\d*(?:\.\d+)?[sdifr%]",  # %s, %d
            r"\{\{.*?\}\}|\{%.*?%\}",  # template variables and tags
            r"\{[\w.]*(?:![rsa])?(?::[^{}]*)?\}",  # {count}, {0:.1f}
            r"\]\([^)]*\)",  # Markdown link targets
            r"\b\w*[qwxyQWXY]\w*\b",  # words Serbian does not write with its own letters
            *(r"(?i:\b" + re.escape(term) + r"\b)" for term in KEEP_LATIN),
        ]
    )
)


def _split_points(lower: str) -> set[int]:
    """Positions in ``lower`` where a digraph must not be formed (between the two letters)."""
    points = set()
    for stem in _NOT_DIGRAPHS:
        joined = stem.replace("|", "")
        cut = stem.index("|")
        start = lower.find(joined)
        while start != -1:
            points.add(start + cut)
            start = lower.find(joined, start + 1)
    return points


def _cyrillic_word(word: str) -> str:
    lower = word.lower()
    splits = _split_points(lower)
    out = []
    i = 0
    while i < len(word):
        pair = lower[i : i + 2]
        if pair in _DIGRAPHS and i + 1 not in splits:
            letter = _DIGRAPHS[pair]
            out.append(letter.upper() if word[i].isupper() else letter)
            i += 2
            continue
        ch = word[i]
        letter = _LETTERS.get(ch.lower())
        if letter is None:
            out.append(ch)
        else:
            out.append(letter.upper() if ch.isupper() else letter)
        i += 1
    return "".join(out)


def _cyrillic_text(text: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda m: _cyrillic_word(m.group()), text)


def to_cyrillic(text: str) -> str:
    """Return ``text`` in Serbian Cyrillic, leaving what is not Serbian text as it is."""
    out = []
    position = 0
    for match in _PROTECTED.finditer(text):
        out.append(_cyrillic_text(text[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_cyrillic_text(text[position:]))
    return "".join(out)


# --- Catalogues ------------------------------------------------------------------------------


def _unquote(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def po_to_cyrillic(source: str, *, language: str = "sr") -> str:
    """Return a gettext catalogue (text of a .po file) with every translation in Cyrillic.

    msgids, comments and the header stay as they are, except the header's Language.
    """
    out = []
    in_msgstr = False
    entries = 0
    for line in source.splitlines():
        if line.startswith("msgid "):
            in_msgstr = False
            entries += 1
        elif line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        header = entries == 1
        if in_msgstr and not header:
            keyword, value = line.split(" ", 1) if line.startswith("msgstr") else ("", line)
            converted = '"' + _quote(to_cyrillic(_unquote(value[1:-1]))) + '"'
            out.append(f"{keyword} {converted}" if keyword else converted)
        elif in_msgstr and line.startswith('"Language:'):
            out.append(f'"Language: {language}\\n"')
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def write_cyrillic_catalogues(root: Path) -> list[Path]:
    """Write every ``sr`` catalogue under ``root``'s locale folders from its ``sr_Latn`` twin.

    A file is rewritten only when its text changes, so msgfmt recompiles only what changed.
    Returns the catalogues written.
    """
    written = []
    for source in sorted(root.glob("locale*/**/sr_Latn/LC_MESSAGES/*.po")):
        target = source.parent.parent.parent / "sr" / "LC_MESSAGES" / source.name
        text = po_to_cyrillic(source.read_text(encoding="utf-8"))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def write_cyrillic_templates(root: Path) -> list[Path]:
    """Write every ``sr.html`` template under ``root``'s apps from its ``sr-latn.html`` twin
    (texts kept as templates per language: the privacy notice, the onboarding policy).

    Only the text is transliterated: template tags, variables, HTML tags and links stay.
    """
    written = []
    for source in sorted(root.glob("*/templates/**/sr-latn.html")):
        target = source.with_name("sr.html")
        text = to_cyrillic(source.read_text(encoding="utf-8"))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "catalogues":
        root = Path(argv[2])
        for target in write_cyrillic_catalogues(root) + write_cyrillic_templates(root):
            sys.stdout.write(f"wrote {target}\n")
        return 0
    if len(argv) == 4 and argv[1] == "po":
        source, target = Path(argv[2]), Path(argv[3])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(po_to_cyrillic(source.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    sys.stderr.write(
        "usage: python -m core.transliteration catalogues ROOT\n"
        "       python -m core.transliteration po SOURCE.po TARGET.po\n"
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
