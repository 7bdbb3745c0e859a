"""Full-text search of projects: the stored, GIN-indexed vector of stems (common.sprache).

The stored vector must follow every change of the text it covers. Whoever writes a project's
title, summary, description, Themen or Initiativen calls `projekt_suchvektor_aktualisieren`
after the save (the services of this app do; a renamed Kommune, Thema or Initiative is
picked up by `manage.py suchindex`; see docs/decisions/0005-suchindex.md). The search core
(parsing, matching, ranking, highlighting) lives in `common.suche`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from common.suche import Anfrage, suchtext, treffer_rang, vektor, vokabular_merken, volltext
from kommunen import sharing

from .models import Projekt


def projekt_suchvektor_aktualisieren(projekt_id: int) -> None:
    """Recompute the stored search index of one project: its title (weight A), summary,
    Kommune, Themen and Initiativen (B) and description (C)."""
    p = Projekt.objects.select_related("kommune").filter(pk=projekt_id).first()
    if p is None:
        return
    zuordnung = " ".join(
        [
            p.kommune.name,
            *p.themen.values_list("name", flat=True),
            *p.initiativen.values_list("name", flat=True),
        ]
    )
    b = f"{p.zusammenfassung} {zuordnung}"
    if volltext():
        Projekt.objects.filter(pk=projekt_id).update(
            suchvektor=vektor((p.titel, "A"), (b, "B"), (p.beschreibung, "C"))
        )
    else:
        Projekt.objects.filter(pk=projekt_id).update(suchtext=suchtext(p.titel, b, p.beschreibung))
    vokabular_merken(p.titel, b, p.beschreibung)
    # What the search counted per group set is out of date (wissen.suche.zaehlen()).
    sharing.objekt_geaendert(p, frisch=True)  # read at the top of this function


def projekt_treffer(
    qs: QuerySet[Projekt], anfrage: Anfrage, *, user, stufe: str | None = None
) -> QuerySet[Projekt]:
    return treffer_rang(
        qs, anfrage, vorfilter=sharing.vorfilter(user), stufe=stufe, nachnutzung=True
    )
