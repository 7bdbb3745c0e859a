"""The search vocabulary: every word the index holds, with its stem.

It serves two look-ups that must not scan the index itself: the compounds a query word is the
last part of („Säule“ → „Ladesäule“), and the spelling suggestion for a query that finds
nothing („Meinten Sie …?“). It holds words of documents too; no user ever sees it directly:
a suggestion is shown only when searching it finds something that user may see.
"""

from django.db import models


class Suchwort(models.Model):
    wort = models.CharField(max_length=60, unique=True)
    stamm = models.CharField(max_length=60, db_index=True)

    class Meta:
        verbose_name = "Suchwort"
        verbose_name_plural = "Suchwörter"

    def __str__(self) -> str:
        return self.wort
