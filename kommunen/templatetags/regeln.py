"""Template side of kommunen.rules: a sentence with its rule reference, formatted in one place."""

from django import template

from .. import rules

register = template.Library()


@register.filter
def mit_verweis(text, rule: str) -> str:
    """{{ text|mit_verweis:"VERSION-1" }} → "… (Regel VERSION-1)", escaped as any text."""
    return rules.mit_verweis(text, rule)
