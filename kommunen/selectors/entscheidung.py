"""Reads for the page on which a Freigabe-Admin decides: the object's legal metadata, every rule
with its outcome, other Freigaben reaching the same recipient, new documents, and who gains or
loses access by the decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, sharing
from ..models import EmpfaengerArt, Freigabe, Kommune, Verbund
from ..vokabular import RECHTLICHE_FELDER
from .freigaben import entscheidungs_probe


def rechtliche_angaben(objekt) -> list[tuple[str, str]]:
    """The object's legal metadata as (label, readable value), in the vocabulary's order."""
    angaben = []
    for name in RECHTLICHE_FELDER:
        feld = objekt._meta.get_field(name)
        wert = getattr(objekt, name)
        if feld.choices and wert:
            text = getattr(objekt, f"get_{name}_display")()
        elif isinstance(wert, bool):
            text = _("ja") if wert else _("nein")
        elif isinstance(wert, dt.date):
            text = wert.strftime("%d.%m.%Y")
        else:
            text = str(wert or "").strip()
        angaben.append((str(feld.verbose_name), text or _("nicht angegeben")))
    return angaben


def regeln_fuer(freigabe: Freigabe, *, by) -> list[rules.Regelergebnis]:
    """Every rule with its outcome as if `by` decided now: the check the services run."""
    objekt = freigabe.objekt
    if objekt is None:
        return []
    probe = entscheidungs_probe(freigabe, by=by)
    return rules.alle_pruefen(probe, objekt, probe.umstaende(objekt))


def neue_dokumente(freigabe: Freigabe) -> list | None:
    """For a Freigabe whose documents are withheld (VERSION-1): the documents uploaded since
    its last decision. None where nothing is withheld."""
    objekt = freigabe.objekt
    if objekt is None or not freigabe.dokumente_zurueckgehalten:
        return None
    return objekt.dokumente_seit(freigabe.entschieden_am)


def entscheidung_stand(freigabe: Freigabe) -> str:
    """A token of the Freigabe's state as shown: a decision posted against an older state
    (a second click, a stale tab) changes nothing."""
    zeit = freigabe.entschieden_am.isoformat() if freigabe.entschieden_am else ""
    ende = freigabe.beendet_am.isoformat() if freigabe.beendet_am else ""
    return f"{freigabe.status}|{int(freigabe.dokumente_zurueckgehalten)}|{zeit}|{ende}"


# --- who is reached ---------------------------------------------------------------------------


@dataclass
class Empfaengerkommune:
    kommune: Kommune
    benutzer: int = 0
    # Other active Freigaben of the object that reach this Kommune too.
    weiter_durch: list[Freigabe] = field(default_factory=list)


@dataclass
class Zugang:
    """Who a Freigabe reaches: the Kommunen (each with its users and what else reaches it)."""

    freigabe: Freigabe
    oeffentlich: bool
    kommunen: list[Empfaengerkommune]
    andere: list[Freigabe]  # other active Freigaben reaching one of these recipients

    @property
    def benutzer(self) -> int:
        return sum(k.benutzer for k in self.kommunen)

    @property
    def ohne_anderen_zugang(self) -> list[Empfaengerkommune]:
        return [k for k in self.kommunen if not k.weiter_durch]

    @property
    def mit_anderem_zugang(self) -> list[Empfaengerkommune]:
        return [k for k in self.kommunen if k.weiter_durch]


def _empfaenger_ids(f: Freigabe, mitglieder: dict[int, set[int]]) -> set[int] | None:
    """The Kommunen a Freigabe reaches; None: everyone (public)."""
    if f.empfaenger_art == EmpfaengerArt.OEFFENTLICH:
        return None
    if f.empfaenger_art == EmpfaengerArt.KOMMUNE:
        return {f.empfaenger_kommune_id} - {None}
    return set(mitglieder.get(f.empfaenger_verbund_id, set()))


def zugang(freigabe: Freigabe) -> Zugang:
    """The recipients of `freigabe` (never the owner, who holds access anyway), and for each the
    other active Freigaben of the same object that reach it: a Kommune reached so keeps its
    access when this one is revoked, and gains nothing new (beyond scope) when it is granted."""
    objekt = freigabe.objekt
    heute = timezone.localdate()
    andere = []
    if objekt is not None:
        andere = [
            f
            for f in sharing.active_freigaben(objekt).exclude(pk=freigabe.pk).order_by("pk")
            if (f.wirksam_bis(objekt) or heute) >= heute
        ]
    verbund_ids = {
        f.empfaenger_verbund_id
        for f in [freigabe, *andere]
        if f.empfaenger_art == EmpfaengerArt.VERBUND and f.empfaenger_verbund_id
    }
    mitglieder: dict[int, set[int]] = {}
    for verbund_id, kommune_id in Verbund.mitglieder.through.objects.filter(
        verbund_id__in=verbund_ids
    ).values_list("verbund_id", "kommune_id"):
        mitglieder.setdefault(verbund_id, set()).add(kommune_id)

    eigene = _empfaenger_ids(freigabe, mitglieder)
    kommunen = Kommune.objects.filter(aktiv=True).exclude(pk=freigabe.eigentuemer_id)
    if eigene is not None:
        kommunen = kommunen.filter(pk__in=eigene)
    kommunen = kommunen.annotate(
        n=Count("benutzer", filter=Q(benutzer__is_active=True), distinct=True)
    ).order_by("name")
    empfaenger = []
    for k in kommunen:
        weiter = []
        for f in andere:
            ziel = _empfaenger_ids(f, mitglieder)
            if ziel is None or k.pk in ziel:
                weiter.append(f)
        empfaenger.append(Empfaengerkommune(kommune=k, benutzer=k.n, weiter_durch=weiter))
    erreicht = {f.pk for e in empfaenger for f in e.weiter_durch}
    return Zugang(
        freigabe=freigabe,
        oeffentlich=eigene is None,
        kommunen=empfaenger,
        andere=[f for f in andere if f.pk in erreicht],
    )
