"""What a change of a shared object would do to its Freigaben, said before it is saved.

The services decide (kommunen.services.objekte: LOESCH-1 shortens, rules suspend, VERSION-1
holds documents back); these reads apply the same rules to an unsaved copy, so that the
publisher sees beforehand which Freigaben would be suspended, shortened or held back and who
would lose access. Nothing here writes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .. import rules
from ..models import FREIGABE_OFFEN, Freigabe, FreigabeStatus, Umfang


@dataclass
class Folge:
    freigabe: Freigabe
    was: str  # "aussetzen", "kuerzen", "beenden", "zurueckhalten"
    gruende: list[str] = field(default_factory=list)


@dataclass
class Folgen:
    folgen: list[Folge] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.folgen)

    def von(self, was: str) -> list[Folge]:
        return [f for f in self.folgen if f.was == was]

    @property
    def ausgesetzt(self) -> list[Folge]:
        return self.von("aussetzen")

    @property
    def gekuerzt(self) -> list[Folge]:
        return self.von("kuerzen")

    @property
    def beendet(self) -> list[Folge]:
        return self.von("beenden")

    @property
    def zurueckgehalten(self) -> list[Folge]:
        return self.von("zurueckhalten")


def _freigaben(objekt, *status):
    return (
        Freigabe.objects.filter(
            content_type=ContentType.objects.get_for_model(objekt),
            object_id=objekt.pk,
            status__in=status,
        )
        .select_related("empfaenger_kommune", "empfaenger_verbund")
        .order_by("pk")
    )


def rechtliche_folgen(objekt, neu: dict) -> Folgen:
    """What saving `neu` (field -> value) on `objekt` would do to its open Freigaben."""
    if objekt.pk is None:
        return Folgen()
    kopie = copy.copy(objekt)
    for name, wert in neu.items():
        setattr(kopie, name, wert)
    folgen = Folgen()
    loeschdatum = kopie.loeschdatum
    gekuerzt: dict[int, str] = {}
    if loeschdatum is not None:
        for f in _freigaben(kopie, *FREIGABE_OFFEN).filter(
            Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gt=loeschdatum)
        ):
            gekuerzt[f.pk] = "beenden" if f.gueltig_ab > loeschdatum else "kuerzen"
            folgen.folgen.append(Folge(f, gekuerzt[f.pk]))
    for f in _freigaben(kopie, FreigabeStatus.ERTEILT):
        # As the service does: shortening comes first, an ended one is judged no more.
        if gekuerzt.get(f.pk) == "beenden":
            continue
        if gekuerzt.get(f.pk) == "kuerzen":
            f.gueltig_bis = loeschdatum
        verstoesse = rules.sperrende(rules.check(f, kopie, f.umstaende(kopie)))
        if verstoesse:
            folgen.folgen.append(Folge(f, "aussetzen", [str(v) for v in verstoesse]))
    return folgen


def dokument_folgen(objekt) -> Folgen:
    """Which granted Freigaben a new or replaced document would hold back (VERSION-1)."""
    return Folgen(
        [
            Folge(f, "zurueckhalten")
            for f in _freigaben(objekt, FreigabeStatus.ERTEILT).filter(
                umfang__in=[Umfang.VOLLSTAENDIG, Umfang.MITARBEIT],
                dokumente_zurueckgehalten=False,
            )
        ]
    )
