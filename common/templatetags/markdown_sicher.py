"""The `markdown_sicher` filter: Markdown from users rendered to HTML, sanitised with nh3.

Usage: `{% load markdown_sicher %}` then `{{ objekt.beschreibung|markdown_sicher }}`.
Raw HTML in the source is escaped by Markdown's settings and anything left is cleaned by nh3
against a short allowlist, so user text can never bring scripts, styles or event handlers
(the CSP would block inline code anyway; this keeps the markup itself clean).
"""

import markdown
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ERLAUBTE_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ERLAUBTE_ATTRIBUTE = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
ERLAUBTE_SCHEMATA = {"http", "https", "mailto"}


def markdown_zu_html(text: str) -> str:
    """Markdown to sanitised HTML (a plain str; the caller decides about marking it safe)."""
    if not text:
        return ""
    html = markdown.markdown(str(text), extensions=["tables", "sane_lists"], output_format="html")
    # Headings in user text start at h3: the page owns h1 and h2 (a sound outline).
    for stufe in (2, 1):
        html = html.replace(f"<h{stufe}>", f"<h{stufe + 2}>").replace(
            f"</h{stufe}>", f"</h{stufe + 2}>"
        )
    return nh3.clean(
        html,
        tags=ERLAUBTE_TAGS,
        attributes=ERLAUBTE_ATTRIBUTE,
        url_schemes=ERLAUBTE_SCHEMATA,
        link_rel="noopener noreferrer nofollow",
    )


@register.filter(name="markdown_sicher")
def markdown_sicher(text) -> str:
    return mark_safe(markdown_zu_html(text))  # noqa: S308 - sanitised by nh3 just above
