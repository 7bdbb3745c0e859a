"""Writes of the portal's own content (the legal pages)."""

from django.db import transaction

from .models import Rechtstext


@transaction.atomic
def rechtstext_speichern(*, rechtstext: Rechtstext, von) -> Rechtstext:
    """Store a legal page as the operator wrote it, noting who changed it (the admin's own
    history keeps every earlier change with its author)."""
    rechtstext.geaendert_von = von
    rechtstext.full_clean()
    rechtstext.save()
    return rechtstext
