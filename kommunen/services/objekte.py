"""Changes of shared objects: legal metadata re-checked, documents held back, edits logged."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, sharing
from ..models import (
    FREIGABE_OFFEN,
    RECHTLICHE_FELDER,
    VERLAENGERUNG_OHNE_BEGRUENDUNG,
    Freigabe,
    FreigabeStatus,
    Umfang,
)
from ..selectors.folgen import Folge, Folgen
from .benachrichtigungen import benachrichtigen, freigabe_admins, objekt_link
from .freigaben import berechtigungen_abgleichen
from .protokoll import A, KeineBerechtigung, protokollieren
from .zugriffsende import betreuende, freigabe_ende_melden


def _freigaben_von(objekt, *status: str):
    return Freigabe.objects.filter(
        content_type=ContentType.objects.get_for_model(objekt),
        object_id=objekt.pk,
        status__in=status,
    )


def freigaben_aussetzen(*, objekt, by, anlass: str) -> list[Freigabe]:
    """Re-check the granted Freigaben of `objekt` (locked by the caller or here, first) and
    suspend those that fail a rule now; their rights go, the owner's admins are told."""
    objekt = sharing.lock(objekt)
    ausgesetzt = []
    for f in _freigaben_von(objekt, FreigabeStatus.ERTEILT).select_for_update():
        verstoesse = rules.sperrende(rules.check(f, objekt, f.umstaende(objekt)))
        if not verstoesse:
            continue
        f.status = FreigabeStatus.AUSGESETZT
        f.beendet_am = timezone.now()
        f.beendet_grund = "\n".join(str(v) for v in verstoesse)
        f.save(update_fields=["status", "beendet_am", "beendet_grund"])
        protokollieren(
            aktion=A.FREIGABE_AUSGESETZT,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={"regeln": [v.rule for v in verstoesse]},
        )
        ausgesetzt.append(f)
    if ausgesetzt:
        berechtigungen_abgleichen(objekt=objekt, by=by, anlass=anlass)
        for f in ausgesetzt:
            freigabe_ende_melden(freigabe=f, titel=str(objekt))
        benachrichtigen(
            empfaenger=betreuende(objekt),
            ereignis="freigabe_ausgesetzt",
            betreff=lambda: _("Freigaben ausgesetzt: %(titel)s") % {"titel": objekt},
            text=lambda: (
                _("Anlass: %(anlass)s. Ausgesetzt wurden:\n%(liste)s")
                % {
                    "anlass": anlass,
                    "liste": "\n".join(
                        f"Nr. {f.pk} ({f.empfaenger_bezeichnung}): {f.beendet_grund}"
                        for f in ausgesetzt
                    ),
                }
            ),
            link=objekt_link(objekt),
        )
    return ausgesetzt


def _datum(d) -> str:
    return d.strftime("%d.%m.%Y") if d else _("unbefristet")


def freigaben_kuerzen(*, objekt, by) -> list[Freigabe]:
    """LOESCH-1: open Freigaben of `objekt` that would run past its Löschdatum end on it.

    Each is written to the Protokoll and the owner's admins are told. One that would begin only
    after the Löschdatum has no day left on which it could grant: it ends. Shortening only
    narrows a Freigabe, so it needs no rule check and goes through even while other rules
    fail; `freigaben_aussetzen` judges the Freigaben next. The caller syncs the rows.
    """
    objekt = sharing.lock(objekt)  # the one lock order: object, then its Freigaben
    loeschdatum = objekt.loeschdatum
    if loeschdatum is None:
        return []
    betroffen = list(
        _freigaben_von(objekt, *FREIGABE_OFFEN)
        .filter(Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gt=loeschdatum))
        .select_related("empfaenger_kommune", "empfaenger_verbund")
        .select_for_update(of=("self",))
    )
    if not betroffen:
        return []
    jetzt = timezone.now()
    zeilen = []
    for f in betroffen:
        vorher = f.gueltig_bis
        if f.gueltig_ab > loeschdatum:
            grund = rules.mit_verweis(
                _("Die Freigabe begänne erst nach dem Löschdatum %(datum)s des Objekts.")
                % {"datum": _datum(loeschdatum)},
                "LOESCH-1",
            )
            if f.status == FreigabeStatus.BEANTRAGT:
                werte = {
                    "status": FreigabeStatus.ABGELEHNT,
                    "entschieden_von": by,
                    "entschieden_am": jetzt,
                    "begruendung": grund,
                }
                aktion = A.FREIGABE_ABGELEHNT
            else:
                werte = {
                    "status": FreigabeStatus.WIDERRUFEN,
                    "beendet_von": by,
                    "beendet_am": jetzt,
                    "beendet_grund": grund,
                }
                aktion = A.FREIGABE_WIDERRUFEN
            zeile = _("Nr. %(nr)s (%(an)s): beendet, %(grund)s")
        else:
            # Narrowing: the queryset guard admits it without a rule check (see above).
            werte = {"gueltig_bis": loeschdatum}
            aktion = A.FREIGABE_GEKUERZT
            grund = ""
            zeile = _("Nr. %(nr)s (%(an)s): bisher bis %(vorher)s, jetzt bis %(nachher)s")
        Freigabe.objects.filter(pk=f.pk).update(**werte)
        for name, wert in werte.items():
            setattr(f, name, wert)
        protokollieren(
            aktion=aktion,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={
                "vorher": _datum(vorher),
                "nachher": _datum(f.gueltig_bis),
                "regeln": ["LOESCH-1"],
                **({"grund": grund} if grund else {}),
            },
        )
        zeilen.append(
            zeile
            % {
                "nr": f.pk,
                "an": f.empfaenger_bezeichnung,
                "vorher": _datum(vorher),
                "nachher": _datum(f.gueltig_bis),
                "grund": grund,
            }
        )
    benachrichtigen(
        empfaenger=freigabe_admins(objekt.kommune),
        ereignis="freigabe_gekuerzt",
        betreff=lambda: _("Freigaben enden am Löschdatum: %(titel)s") % {"titel": objekt},
        text=lambda: (
            rules.mit_verweis(
                _(
                    "„%(titel)s“ ist spätestens am %(datum)s zu löschen. Keine Freigabe läuft "
                    "darüber hinaus."
                )
                % {"titel": objekt, "datum": _datum(loeschdatum)},
                "LOESCH-1",
            )
            + "\n"
            + "\n".join(zeilen)
        ),
        link=objekt_link(objekt),
    )
    return betroffen


@transaction.atomic
def rechtliches_geaendert(*, objekt, by, vorher: dict) -> list[Freigabe]:
    """Re-check active Freigaben after the legal metadata changed; suspend those that fail.

    First no open Freigabe may run past the (new) Löschdatum any more: those that would are
    shortened to it (LOESCH-1); then every granted one is judged by the rules. Returns the
    suspended ones (`rechtliche_aenderung_anwenden` tells all that happened).
    """
    return [
        f.freigabe
        for f in rechtliche_aenderung_anwenden(objekt=objekt, by=by, vorher=vorher).ausgesetzt
    ]


def rechtliche_aenderung_anwenden(*, objekt, by, vorher: dict) -> Folgen:
    """`rechtliches_geaendert`, saying what happened: the Freigaben shortened, ended and
    suspended, as `selectors.rechtliche_folgen` foretold them."""
    nachher = objekt.legal_snapshot()
    if vorher == nachher:
        return Folgen()
    protokollieren(
        aktion=A.RECHTLICHES_GEAENDERT,
        akteur=by,
        objekt=objekt,
        details={k: [vorher.get(k), v] for k, v in nachher.items() if vorher.get(k) != v},
    )
    gekuerzt = freigaben_kuerzen(objekt=objekt, by=by)
    anlass = _("rechtliche Angaben geändert")
    ausgesetzt = freigaben_aussetzen(objekt=objekt, by=by, anlass=anlass)
    if gekuerzt and not ausgesetzt:  # suspending syncs the rows itself
        berechtigungen_abgleichen(objekt=objekt, by=by, anlass=anlass)
    folgen = Folgen()
    for f in gekuerzt:
        offen = f.status in (FreigabeStatus.ERTEILT, FreigabeStatus.BEANTRAGT)
        folgen.folgen.append(Folge(f, "kuerzen" if offen else "beenden"))
    for f in ausgesetzt:
        folgen.folgen.append(Folge(f, "aussetzen", f.beendet_grund.split("\n")))
    return folgen


@transaction.atomic
def dokumente_geaendert(*, objekt, by) -> list[Freigabe]:
    """VERSION-1: a document was added or replaced; withhold documents until re-approved."""
    type(objekt)._default_manager.filter(pk=objekt.pk).update(dokumente_geaendert_am=timezone.now())
    betroffen = list(
        _freigaben_von(objekt, FreigabeStatus.ERTEILT)
        .filter(umfang__in=[Umfang.VOLLSTAENDIG, Umfang.MITARBEIT], dokumente_zurueckgehalten=False)
        .select_for_update()
    )
    for f in betroffen:
        f.dokumente_zurueckgehalten = True
        f.save(update_fields=["dokumente_zurueckgehalten"])
        protokollieren(aktion=A.FREIGABE_ZUR_PRUEFUNG, akteur=by, objekt=objekt, freigabe=f)
    if betroffen:
        berechtigungen_abgleichen(objekt=objekt, by=by, anlass="VERSION-1")
        benachrichtigen(
            empfaenger=freigabe_admins(objekt.kommune),
            ereignis="freigabe_zur_pruefung",
            betreff=lambda: _("Neue Dokumente zu prüfen: %(titel)s") % {"titel": objekt},
            text=lambda: rules.mit_verweis(
                _(
                    "Zu „%(titel)s“ wurden Dokumente hinzugefügt oder ersetzt. %(n)s Freigabe(n) "
                    "halten die Dokumente zurück, bis Sie sie erneut erteilen."
                )
                % {"titel": objekt, "n": len(betroffen)},
                "VERSION-1",
            ),
            link="/freigaben/eingang/",
        )
    return betroffen


def beschreibung_geaendert(*, objekt, by, felder: list[str]) -> None:
    """Edits of descriptive text: logged and shown to the owner's admins, no suspension."""
    if not felder:
        return
    protokollieren(aktion=A.OBJEKT_BEARBEITET, akteur=by, objekt=objekt, details={"felder": felder})
    if _freigaben_von(objekt, FreigabeStatus.ERTEILT).exists():
        benachrichtigen(
            empfaenger=freigabe_admins(objekt.kommune).exclude(pk=by.pk),
            ereignis="objekt_bearbeitet",
            betreff=lambda: _("Geteiltes Objekt bearbeitet: %(titel)s") % {"titel": objekt},
            text=lambda: (
                _("%(wer)s hat %(felder)s geändert.")
                % {"wer": by.get_username(), "felder": ", ".join(felder)}
            ),
            link=objekt_link(objekt),
        )


# --- edits of any shareable object, used by the apps' services ---------------------------------


def felder_pruefen(felder: dict, erlaubt: frozenset[str]) -> None:
    """Refuse anything but the editable fields: owner, author and ids never come from input."""
    unbekannt = sorted(set(felder) - erlaubt)
    if unbekannt:
        raise ValidationError(
            _("Diese Felder können nicht gesetzt werden: %(felder)s.")
            % {"felder": ", ".join(unbekannt)}
        )


def darf_anlegen(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "ist_herausgabe", False)
        and user.kommune.aktiv
    )


def felder_anwenden(objekt, felder: dict, by) -> list[str]:
    """Set `felder` on `objekt`; returns the names that changed. Legal fields: owner only."""
    geaendert = [name for name, wert in felder.items() if getattr(objekt, name) != wert]
    if any(name in RECHTLICHE_FELDER for name in geaendert) and by.kommune_id != objekt.kommune_id:
        raise KeineBerechtigung(
            _("Die rechtlichen Angaben ändert nur die Kommune, der das Objekt gehört.")
        )
    vorher = copy.copy(objekt)
    for name in geaendert:
        setattr(objekt, name, felder[name])
    if objekt.verlaengerung_unbegruendet(vorher):
        raise ValidationError({"loeschdatum_begruendung": VERLAENGERUNG_OHNE_BEGRUENDUNG})
    return geaendert


def feldnamen(model, namen: Iterable[str]) -> list[str]:
    """Readable (German) names of changed fields for the Protokoll and notifications."""
    beziehungen = {
        "themen": _("Themen"),
        "initiativen": _("Initiativen"),
        "beteiligungen": _("Beteiligung"),
    }
    ergebnis = []
    for name in namen:
        if name in beziehungen:
            ergebnis.append(str(beziehungen[name]))
            continue
        try:
            ergebnis.append(str(model._meta.get_field(name).verbose_name))
        except LookupError:
            ergebnis.append(name)
    return ergebnis


def nach_aenderung(*, objekt, by, beschreibend: list[str], vorher: dict) -> Folgen:
    """Tell the sharing core what kind of change happened (descriptive or legal); returns
    what the change did to the object's Freigaben."""
    beschreibung_geaendert(objekt=objekt, by=by, felder=feldnamen(type(objekt), beschreibend))
    if objekt.legal_snapshot() != vorher:
        return rechtliche_aenderung_anwenden(objekt=objekt, by=by, vorher=vorher)
    return Folgen()
