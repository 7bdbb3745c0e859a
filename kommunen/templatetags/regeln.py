"""Template filters that read the rule table (kommunen.rules) for a violation shown on a page."""

from django import template

from .. import rules

register = template.Library()


@register.filter
def abhilfe(verstoss) -> str:
    """What to do about a violation: the rule table's "Was stattdessen tun"."""
    return rules.abhilfe_fuer(getattr(verstoss, "rule", ""))
