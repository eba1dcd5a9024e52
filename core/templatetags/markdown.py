from django import template

from core.markdown import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render stored Markdown as sanitized HTML: {{ organization.description|markdown }}."""
    return render_markdown(text or "")


@register.filter(name="markdown_text")
def markdown_text_filter(text):
    """The plain words of stored Markdown, for excerpts (escaped by the template)."""
    return markdown_to_text(text or "")
