"""The interface languages beyond their list in settings: which ones people write texts in, and
which text a reader gets when there is none in their language.

Croatian and Serbian readers get the Bosnian text when there is none in their language; a Serbian
Cyrillic reader gets the Serbian Latin text, else the Bosnian one, transliterated (no one writes a
second copy in Cyrillic: the Cyrillic catalogue is made the same way at build time). Every page
that shows a text in another language than the reader's says so.
"""

from dataclasses import dataclass

from .transliteration import to_cyrillic

# Interface languages whose texts are made from another's rather than written.
DERIVED = {"sr": "sr-latn"}
# The closest languages, in order, for a text that is missing in a language.
FALLBACKS = {"hr": ("bs",), "sr-latn": ("bs",), "sr": ("sr-latn", "bs")}
# Languages written in Latin letters that a Cyrillic reader may read transliterated
# (organizations' languages use "sr" for Serbian in either script).
TRANSLITERABLE = frozenset({"bs", "hr", "sr", "sr-latn"})
CYRILLIC_LANGUAGES = frozenset({"sr"})
# Each interface language named in itself (the two Serbian ones differ by their script), and
# its BCP 47 tag with the script, for lang attributes.
LOCAL_NAMES = {
    "bs": "Bosanski",
    "hr": "Hrvatski",
    "sr-latn": "Srpski",
    "sr": "Српски",
    "en": "English",
}
TAGS = {"sr-latn": "sr-Latn", "sr": "sr-Cyrl"}


def tag(language: str) -> str:
    """The BCP 47 tag of an interface language ("sr-latn" -> "sr-Latn")."""
    return TAGS.get(language, language)


def switcher(languages) -> list[dict[str, str]]:
    """The languages of ``languages`` (settings.LANGUAGES) as the language switch shows them."""
    return [
        {"code": code, "name_local": LOCAL_NAMES.get(code, str(name)), "tag": tag(code)}
        for code, name in languages
    ]


@dataclass(frozen=True)
class Text:
    """A text chosen for a reader: what to show, the language it was written in, and whether it
    was transliterated to the reader's script."""

    text: str
    language: str
    transliterated: bool = False


def written(languages) -> list[tuple[str, str]]:
    """The (code, name) pairs of ``languages`` (settings.LANGUAGES) that people write texts in."""
    return [(code, name) for code, name in languages if code not in DERIVED]


def pick(texts: dict[str, str], language: str, *, original: str | None = None) -> Text:
    """The text of ``texts`` (language code -> text) for a reader of ``language``.

    Its own language first, then the closest ones (transliterated for a Cyrillic reader), then
    the original language, then any text; an empty Text when there is none.
    """
    if texts.get(language):
        return Text(texts[language], language)
    base = language.split("-")[0]
    if base != language and base not in CYRILLIC_LANGUAGES and texts.get(base):
        return Text(texts[base], base)
    for closest in FALLBACKS.get(language, ()):
        if texts.get(closest):
            if language in CYRILLIC_LANGUAGES:
                return Text(to_cyrillic(texts[closest]), closest, transliterated=True)
            return Text(texts[closest], closest)
    if original and texts.get(original):
        return Text(texts[original], original)
    for code, text in texts.items():
        if text:
            return Text(text, code)
    return Text("", original or language)


def name_for_reader(names: dict[str, str], *, default_language: str, fallback: str) -> str:
    """A taxonomy entry's name (language code -> name) in the active language, else the closest
    one (in Cyrillic for a Cyrillic reader), else in ``default_language``, else ``fallback``."""
    from django.utils import translation

    language = translation.get_language() or default_language
    return pick(names, language, original=default_language).text or fallback


def in_script(text: str, *, language: str | None, cyrillic: bool) -> str:
    """``text`` (written in ``language``) in Cyrillic when the reader asked for Cyrillic and the
    text is in a South Slavic language written in Latin letters; otherwise unchanged."""
    if cyrillic and language in TRANSLITERABLE:
        return to_cyrillic(text)
    return text
