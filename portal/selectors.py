"""Reads of the portal's own content (the legal pages)."""

from .models import Rechtstext, RechtstextArt


def rechtstext_lesen(*, art: RechtstextArt) -> Rechtstext | None:
    """The operator's text for a legal page, or None while none is published."""
    return Rechtstext.objects.filter(art=art).first()
