"""The sharing matrix of a Kommune: its objects against recipients, with the Freigaben' states."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Q, QuerySet, Value
from django.utils.translation import gettext as _

from .. import sharing
from ..models import (
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Kommune,
    Verbund,
)
from .objekte import freigebbare_modelle

MATRIX_STATUS = (FreigabeStatus.BEANTRAGT, FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT)


@dataclass
class Spalte:
    schluessel: str  # "k<id>", "v<id>" or "oeffentlich"
    name: str
    art: str


@dataclass
class Zeile:
    typ: str
    typ_name: str
    pk: int
    titel: str
    url: str = ""
    zellen: list[list[Freigabe]] = field(default_factory=list)
    spalten: list[Spalte] = field(default_factory=list, repr=False)

    @property
    def zellen_mit_spalten(self) -> list[tuple[Spalte, list[Freigabe]]]:
        """Each cell with its column, so a narrow screen can name the column beside the cell."""
        return list(zip(self.spalten, self.zellen, strict=True))


def _empfaenger_schluessel(f: Freigabe) -> str:
    if f.empfaenger_art == EmpfaengerArt.KOMMUNE:
        return f"k{f.empfaenger_kommune_id}"
    if f.empfaenger_art == EmpfaengerArt.VERBUND:
        return f"v{f.empfaenger_verbund_id}"
    return "oeffentlich"


def matrix_spalten(*, kommune: Kommune) -> list[Spalte]:
    """Partner Kommunen (Verbund members and past recipients), Verbünde, the public."""
    partner = (
        Kommune.objects.filter(
            Q(verbuende__mitglieder=kommune) | Q(freigaben_erhalten__eigentuemer=kommune)
        )
        .exclude(pk=kommune.pk)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    verbuende = (
        Verbund.objects.filter(Q(mitglieder=kommune) | Q(freigaben__eigentuemer=kommune))
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    return (
        [Spalte(f"k{pk}", name, EmpfaengerArt.KOMMUNE) for pk, name in partner]
        + [Spalte(f"v{pk}", name, EmpfaengerArt.VERBUND) for pk, name in verbuende]
        + [Spalte("oeffentlich", str(_("Öffentlichkeit")), EmpfaengerArt.OEFFENTLICH)]
    )


def matrix_objekte(
    *, user, typ: str = "", empfaenger: str = "", status: str = "", suche: str = ""
) -> QuerySet:
    """The city's objects as one union of (typ, pk, titel) rows, filtered and ordered.

    With a recipient or status filter only objects with a matching Freigabe remain, so the
    matrix answers "what goes to Augsburg?" without scrolling through the rest.
    """
    teile = []
    cts = ContentType.objects.get_for_models(*freigebbare_modelle())
    freigaben = _matrix_freigaben_filter(empfaenger=empfaenger, status=status)
    for model in freigebbare_modelle():
        name = model._meta.model_name
        if typ and typ != name:
            continue
        qs = sharing.visible(user, model._default_manager.all(), "view").filter(
            kommune_id=user.kommune_id
        )
        if suche:
            qs = qs.filter(titel__icontains=suche)
        if freigaben is not None:
            qs = qs.filter(
                pk__in=freigaben.filter(
                    eigentuemer_id=user.kommune_id, content_type=cts[model]
                ).values("object_id")
            )
        teile.append(
            qs.order_by()
            .annotate(
                typ=Value(name, output_field=CharField()),
                ct=Value(cts[model].pk, output_field=IntegerField()),
            )
            .values("typ", "ct", "pk", "titel")
        )
    if not teile:
        return Freigabe.objects.none().values("pk")
    erste, *rest = teile
    return (
        erste.union(*rest, all=True).order_by("titel", "typ", "pk")
        if rest
        else erste.order_by("titel", "pk")
    )


def _matrix_freigaben_filter(*, empfaenger: str, status: str) -> QuerySet[Freigabe] | None:
    if not empfaenger and not status:
        return None
    qs = Freigabe.objects.filter(status__in=MATRIX_STATUS)
    if empfaenger:
        qs = qs.filter(_empfaenger_q(empfaenger))
    if status == "zurueckgehalten":
        qs = qs.filter(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=True)
    elif status:
        qs = qs.filter(status=status)
    return qs


def _empfaenger_q(schluessel: str) -> Q:
    if schluessel == "oeffentlich":
        return Q(empfaenger_art=EmpfaengerArt.OEFFENTLICH)
    art, pk = schluessel[:1], schluessel[1:]
    if not pk.isdigit():
        return Q(pk__in=[])
    if art == "k":
        return Q(empfaenger_art=EmpfaengerArt.KOMMUNE, empfaenger_kommune_id=int(pk))
    if art == "v":
        return Q(empfaenger_art=EmpfaengerArt.VERBUND, empfaenger_verbund_id=int(pk))
    return Q(pk__in=[])


def matrix_zeilen(
    *, kommune: Kommune, objekte: list[dict], spalten: list[Spalte], status: str = ""
) -> list[Zeile]:
    """Fill the cells of one page of objects with their open and active Freigaben."""
    typen = {m._meta.model_name: m for m in freigebbare_modelle()}
    bedingung = Q(pk__in=[])
    nach_ct: dict[int, list[int]] = {}
    for o in objekte:
        nach_ct.setdefault(o["ct"], []).append(o["pk"])
    for ct, pks in nach_ct.items():
        bedingung |= Q(content_type_id=ct, object_id__in=pks)
    freigaben = Freigabe.objects.filter(
        bedingung, eigentuemer=kommune, status__in=MATRIX_STATUS
    ).order_by("umfang", "pk")
    if status == "zurueckgehalten":
        freigaben = freigaben.filter(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=True)
    elif status:
        freigaben = freigaben.filter(status=status)
    zellen: dict[tuple[int, int, str], list[Freigabe]] = {}
    for f in freigaben:
        zellen.setdefault((f.content_type_id, f.object_id, _empfaenger_schluessel(f)), []).append(f)
    zeilen = []
    for o in objekte:
        model = typen.get(o["typ"])
        zeile = Zeile(
            typ=o["typ"],
            typ_name=str(model._meta.verbose_name) if model else o["typ"],
            pk=o["pk"],
            titel=o["titel"],
            url=_objekt_url(model, o["pk"]),
        )
        zeile.zellen = [zellen.get((o["ct"], o["pk"], s.schluessel), []) for s in spalten]
        zeile.spalten = spalten
        zeilen.append(zeile)
    return zeilen


def _objekt_url(model, pk: int) -> str:
    """The object's address without loading it: get_absolute_url on an unsaved stand-in."""
    if model is None or not hasattr(model, "get_absolute_url"):
        return ""
    stand_in = model(pk=pk)
    return stand_in.get_absolute_url()
