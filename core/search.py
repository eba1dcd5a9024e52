"""Accent-insensitive search text for Bosnian, Croatian and Serbian (Latin and Cyrillic).

PostgreSQL's ``unaccent`` is not available on the embedded server, so names are folded here in
Python: the stored search document holds every spelling a visitor may type ("Đakovo" is stored
as "djakovo dakovo"), and a query is folded the same way before it reaches full-text search.

A model keeps its document through ``Searchable``: it names the texts in ``search_texts()``, and
either its ``save()`` or ``refresh(instance)`` folds them into ``search_document``.
"""

import re
import unicodedata
from collections.abc import Iterable

# Letters that NFKD does not decompose, or that visitors spell in more than one way.
_FOLDS = {
    "đ": ("dj", "d"),
    "ß": ("ss",),
    "æ": ("ae",),
    "ø": ("o",),
    "ł": ("l",),
}
# Serbian Cyrillic to Latin (Gaj's alphabet), so Cyrillic names are found by Latin queries.
_CYRILLIC = dict(
    zip(
        "абвгдђежзијклљмнњопрстћуфхцчџш",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "đ",
            "e",
            "ž",
            "z",
            "i",
            "j",
            "k",
            "l",
            "lj",
            "m",
            "n",
            "nj",
            "o",
            "p",
            "r",
            "s",
            "t",
            "ć",
            "u",
            "f",
            "h",
            "c",
            "č",
            "dž",
            "š",
        ],
        strict=True,
    )
)
_WORD = re.compile(r"[a-z0-9]+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _latin(text: str) -> str:
    return "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())


def fold(text: str) -> str:
    """Lower-case ``text`` and fold it to plain ASCII letters, the first spelling of each."""
    text = _latin(text)
    for letter, spellings in _FOLDS.items():
        text = text.replace(letter, spellings[0])
    return _strip_marks(text)


def words(text: str) -> list[str]:
    """Return the folded words of ``text``."""
    return _WORD.findall(fold(text))


def search_document(*texts: str) -> str:
    """Return the text to index for ``texts``: every folded spelling of every word."""
    found: dict[str, None] = {}
    for text in texts:
        latin = _latin(text or "")
        variants = [latin]
        for letter, spellings in _FOLDS.items():
            if letter in latin:
                variants = [v.replace(letter, s) for v in variants for s in spellings]
        for variant in variants:
            for word in _WORD.findall(_strip_marks(variant)):
                found[word] = None
    return " ".join(found)


class Searchable:
    """A model mixin (first among the bases) for a model with a ``search_document`` field.

    The model names the texts of its document in ``search_texts()``. When they are the row's own
    columns, ``save()`` keeps the document current (and adds it to ``update_fields``). When some
    live in other rows (a meeting's agenda and minutes, an expert's fields of expertise), the
    model sets ``search_on_save = False`` and whoever changes those rows calls ``refresh()``.
    """

    # False: save() leaves the document alone; the services call refresh(instance).
    search_on_save = True
    # Stored before the first word (the meetings archive matches " word" as a word's start).
    search_prefix = ""
    # The columns refresh_search_fields() sets; a model that keeps more extends both.
    search_fields: tuple[str, ...] = ("search_document",)

    def search_texts(self) -> Iterable[str]:
        raise NotImplementedError

    def refresh_search_fields(self) -> None:
        """Recompute the document in memory (bulk writers call this before bulk_create)."""
        self.search_document = self.search_prefix + search_document(*self.search_texts())

    def save(self, *args, **kwargs):
        if self.search_on_save:
            self.refresh_search_fields()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.search_fields}
        super().save(*args, **kwargs)


def refresh(instance: Searchable) -> None:
    """Recompute ``instance``'s document and store it alone: one UPDATE, no save() or signals."""
    instance.refresh_search_fields()
    type(instance)._base_manager.filter(pk=instance.pk).update(
        **{name: getattr(instance, name) for name in instance.search_fields}
    )


def tsquery(text: str) -> str | None:
    """Return a raw tsquery matching every word of ``text`` as a prefix, or None if empty."""
    terms = words(text)[:12]
    if not terms:
        return None
    return " & ".join(f"{term}:*" for term in terms)


def normalized_name(name: str) -> str:
    """Return the folded name without punctuation, for comparing names of organizations."""
    return " ".join(words(name))
