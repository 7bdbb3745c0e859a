"""Template side of kommunen.rules: a sentence with its rule reference, formatted in one place,
and what to do about a violation shown on a page."""

from django import template

from .. import rules

register = template.Library()


@register.filter
def abhilfe(verstoss) -> str:
    """What to do about a violation: the rule table's "Was stattdessen tun"."""
    return rules.abhilfe_fuer(getattr(verstoss, "rule", ""))


@register.filter
def mit_verweis(text, rule: str) -> str:
    """{{ text|mit_verweis:"VERSION-1" }} → "… (Regel VERSION-1)", escaped as any text."""
    return rules.mit_verweis(text, rule)


@register.filter
def regel_name(rule: str) -> str:
    """{{ "VERSION-1"|regel_name }} → "Regel VERSION-1", for a rule named on its own."""
    return rules.verweis(rule)
