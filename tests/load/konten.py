"""Which accounts of the generated data the simulated users log in with (needs Django).

Staff come from Kommunen of every size; publishers and admins from a few mid-sized Kommunen
whose inbox the admins can work through, one admin per Kommune so that no two simulated
admins decide the same proposal at the same moment.
"""

from __future__ import annotations

from django.db.models import Count, Q

from kommunen.models import Benutzer, Freigabe, FreigabeStatus, Kommune, Rolle

PASSWORT = "Bench-Passwort-123"  # tests/bench/daten.py gives every generated user this one

# Ranks (by id: the generator creates Kommunen from the largest down) of the staff's Kommunen.
RAENGE_MITARBEIT = (0, 1, 2, 3, 9, 49, 199, 999, 1499, 2049)
JE_KOMMUNE = 12


def _namen(kommune_id: int, rolle: str, n: int) -> list[str]:
    return list(
        Benutzer.objects.filter(kommune_id=kommune_id, rolle=rolle, is_active=True)
        .order_by("pk")
        .values_list("username", flat=True)[:n]
    )


def auswaehlen(admins: int) -> dict:
    ids = list(Kommune.objects.order_by("pk").values_list("pk", flat=True))
    mitarbeit_je = [
        _namen(ids[r], Rolle.MITARBEIT, JE_KOMMUNE) for r in RAENGE_MITARBEIT if r < len(ids)
    ]
    # Round robin, so that the first users already come from many Kommunen.
    mitarbeit = [liste[i] for i in range(JE_KOMMUNE) for liste in mitarbeit_je if i < len(liste)]

    # Mid-sized Kommunen (ranks 5 to 200) with a short queue of proposals and several publishers.
    kandidaten = (
        Kommune.objects.filter(pk__in=ids[5:200])
        .annotate(
            offen=Count(
                "freigaben_erteilt",
                filter=Q(freigaben_erteilt__status=FreigabeStatus.BEANTRAGT),
                distinct=True,
            ),
            herausgeber=Count(
                "benutzer", filter=Q(benutzer__rolle=Rolle.HERAUSGABE), distinct=True
            ),
        )
        .filter(offen__range=(3, 60), herausgeber__gte=2)
        .order_by("pk")[:admins]
    )
    kommunen = list(kandidaten)
    if len(kommunen) < admins:
        raise SystemExit(f"Nur {len(kommunen)} passende Kommunen für {admins} Admins gefunden.")
    return {
        "passwort": PASSWORT,
        "mitarbeit": mitarbeit,
        "herausgabe": [_namen(k.pk, Rolle.HERAUSGABE, JE_KOMMUNE) for k in kommunen],
        "freigabe_admin": [_namen(k.pk, Rolle.FREIGABE_ADMIN, 1)[0] for k in kommunen],
        "kommunen_mitarbeit": [
            Kommune.objects.get(pk=ids[r]).name for r in RAENGE_MITARBEIT if r < len(ids)
        ],
        "kommunen_herausgabe": [k.name for k in kommunen],
        "offen_vorher": {
            k.name: Freigabe.objects.filter(eigentuemer=k, status=FreigabeStatus.BEANTRAGT).count()
            for k in kommunen
        },
    }
