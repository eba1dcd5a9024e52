"""Markdown that people write (descriptions, minutes, posts) turned into safe HTML.

markdown-it-py renders CommonMark with raw HTML switched off; nh3 then keeps only the tags a
description needs, so a ``<script>`` or an ``onclick`` written by anyone stays inert text.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str, *, heading_offset: int = 2) -> SafeString:
    """Return sanitized HTML for ``text``; headings move ``heading_offset`` levels down.

    A description's "# Title" must not compete with the page's own <h1>, so by default it
    becomes an <h3>.
    """
    tokens = _parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + heading_offset)
            token.tag = f"h{level}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above


# The directory shows an excerpt of each card's description on every request; parsing the same
# Markdown again cost a sixth of the page at 10,000 organizations. A pure function of the text,
# so a bounded cache per process is safe (a changed description is a different key).
@lru_cache(maxsize=2048)
def markdown_to_text(text: str) -> str:
    """Return the plain words of ``text`` (for excerpts), unescaped: templates escape them."""
    parts = []
    for token in _parser.parse(text or ""):
        if token.type == "inline":
            words = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            parts.append("".join(words))
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
    return " ".join(part.strip() for part in parts if part.strip())
