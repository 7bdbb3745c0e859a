"""The `markdown_sicher` filter: Markdown from users rendered to HTML, sanitised with nh3.

Usage: `{% load markdown_sicher %}` then `{{ objekt.beschreibung|markdown_sicher }}`; a page
whose text follows its h1 directly (the legal pages) starts headings at h2:
`{{ text|markdown_sicher:2 }}`.
Raw HTML in the source is escaped by Markdown's settings and anything left is cleaned by nh3
against a short allowlist, so user text can never bring scripts, styles or event handlers
(the CSP would block inline code anyway; this keeps the markup itself clean).
"""

import re

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
_UEBERSCHRIFT = re.compile(r"<(/?)h([1-6])>")


def markdown_zu_html(text: str, *, oberste_ebene: int = 3) -> str:
    """Markdown to sanitised HTML (a plain str; the caller decides about marking it safe)."""
    if not text:
        return ""
    html = markdown.markdown(str(text), extensions=["tables", "sane_lists"], output_format="html")
    # Headings in user text start at `oberste_ebene` (h3: the page owns h1 and h2), every level
    # moved alike so that the outline keeps its nesting.
    verschiebung = oberste_ebene - 1
    html = _UEBERSCHRIFT.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + verschiebung, 6)}>", html)
    return nh3.clean(
        html,
        tags=ERLAUBTE_TAGS | {f"h{stufe}" for stufe in range(oberste_ebene, 7)},
        attributes=ERLAUBTE_ATTRIBUTE,
        url_schemes=ERLAUBTE_SCHEMATA,
        link_rel="noopener noreferrer nofollow",
    )


@register.filter(name="markdown_sicher")
def markdown_sicher(text, oberste_ebene=3) -> str:
    ebene = min(max(int(oberste_ebene), 2), 6)
    return mark_safe(markdown_zu_html(text, oberste_ebene=ebene))  # noqa: S308 - sanitised by nh3 just above
