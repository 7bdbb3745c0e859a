"""Freigabevermerke: every decision on a Freigabe as a PDF memo for the city's e-file.

When the memo is made. Its content is taken inside the decision's transaction, right after the
decision's Protokoll row, under the same locks (object, then Freigabe): it shows exactly what
was judged, and a rolled-back decision leaves no memo. The PDF is drawn from that content and
stored just after commit by a worker (a task queued on commit; the page says "wird erstellt"
until then). Not inside the transaction: drawing takes a few hundred milliseconds that the
object's row lock would be held for, and a file stored before a rollback would stay behind
with no row referring to it. Not later from the current state: that would describe whatever
the object says by then. Drawing or storing may fail (the document store is down, the process
ends right after commit): the row keeps its content without a file, the decision stands, and
`vermerke_nachholen` (every 15 minutes) draws it from that content.

The memo is written in German whatever the reader's language: it is an official record of a
German authority (Amtssprache, Art. 23 BayVwVfG), so its fixed text is not translated.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from common.aufgaben import nach_commit_einreihen

from .. import rules, vermerk_pdf
from ..models import Freigabe, Freigabevermerk, Protokoll, Zugangsanfrage
from ..selectors.entscheidung import rechtliche_angaben

log = logging.getLogger(__name__)

ART = Freigabevermerk.Art
ENTSCHEIDUNG = {
    ART.ERTEILT: "Erteilung",
    ART.ABGELEHNT: "Ablehnung",
    ART.WIDERRUFEN: "Widerruf",
    ART.ABGELAUFEN: "Ablauf",
}
NICHT_ANGEGEBEN = "nicht angegeben"
# How many memos one sweep draws at most; the rest waits for the next run.
NACHHOLEN_MAX = 200


def _datum(d) -> str:
    return d.strftime("%d.%m.%Y") if d else ""


def _zeit(zeitpunkt) -> str:
    return timezone.localtime(zeitpunkt).strftime("%d.%m.%Y, %H:%M Uhr") if zeitpunkt else ""


def _person(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name().strip()
    kennung = user.get_username()
    wer = f"{name} ({kennung})" if name else kennung
    return f"{wer}, {user.kommune}" if user.kommune_id else wer


def _wer_wann(user, zeitpunkt) -> str:
    return f"{_person(user)}; {_zeit(zeitpunkt)}"


def _regeln(f: Freigabe, objekt) -> list[dict]:
    """Every rule of the table with its result now: the messages it raises, if any."""
    umstaende = f.umstaende(objekt)
    return [
        {
            "id": regel.id,
            "wann": str(regel.wann),
            "ergebnis": (
                "beanstandet, Dokumente zurückgehalten"
                if regel.wirkung == rules.HAELT_DOKUMENTE_ZURUECK
                else "beanstandet"
            ),
            "meldungen": [str(m) for m in regel.pruefen(objekt, f, umstaende)],
        }
        for regel in rules.REGELN
    ]


def _beteiligte(f: Freigabe, objekt, art: str, protokoll: Protokoll) -> list[list[str]]:
    zeilen = [["Vorgeschlagen von", _wer_wann(f.beantragt_von, f.beantragt_am)]]
    if f.entschieden_von_id and art != ART.ABGELAUFEN:
        zeilen.append(["Entschieden von", _wer_wann(f.entschieden_von, f.entschieden_am)])
    if art == ART.WIDERRUFEN:
        zeilen.append(["Widerrufen von", _wer_wann(f.beendet_von, f.beendet_am)])
    if art == ART.ABGELAUFEN:
        zeilen.append(["Beendet durch", "Fristablauf (automatisch, FRIST-1)"])
    if objekt.vier_augen_noetig and f.entschieden_von_id:
        zwei = f.entschieden_von_id != f.beantragt_von_id
        zeilen.append(
            [
                "Vier-Augen-Prinzip",
                (
                    f"gewahrt: vorgeschlagen von {_person(f.beantragt_von)}, entschieden von "
                    f"{_person(f.entschieden_von)}"
                    if zwei
                    else "nicht gewahrt: Vorschlag und Entscheidung von derselben Person"
                ),
            ]
        )
    elif objekt.vier_augen_noetig:
        zeilen.append(["Vier-Augen-Prinzip", "erforderlich (personenbezogene Daten oder VS-NfD)"])
    else:
        zeilen.append(["Vier-Augen-Prinzip", "nicht erforderlich"])
    zeilen.append(["Protokolleintrag", f"Nr. {protokoll.pk} vom {_zeit(protokoll.zeitpunkt)}"])
    anfrage = Zugangsanfrage.objects.filter(freigabe=f).values_list("pk", flat=True).first()
    if anfrage is not None:
        zeilen.append(["Zugangsanfrage", f"Nr. {anfrage}"])
    return zeilen


def vermerk_inhalt(*, freigabe: Freigabe, objekt, art: str, protokoll: Protokoll) -> dict:
    """What the memo of this decision says, as it stands now (German, see the module)."""
    f = freigabe
    with translation.override("de"):
        entscheidung = ENTSCHEIDUNG[art]
        grund = f.beendet_grund if art in (ART.WIDERRUFEN, ART.ABGELAUFEN) else f.begruendung
        wirksam_bis = f.wirksam_bis(objekt)
        gueltigkeit = [
            ["gültig ab", _datum(f.gueltig_ab)],
            ["gültig bis", _datum(f.gueltig_bis) or "unbefristet"],
        ]
        if wirksam_bis != f.gueltig_bis:
            gueltigkeit.append(["wirksam bis (Löschdatum)", _datum(wirksam_bis)])
        if f.beendet_am and art in (ART.WIDERRUFEN, ART.ABGELAUFEN):
            gueltigkeit.append(["beendet am", _zeit(f.beendet_am)])
        return {
            "version": 1,
            "art": art,
            "titel": f"Freigabevermerk: {entscheidung} der Freigabe Nr. {f.pk}",
            "untertitel": f"„{objekt}“ an {f.empfaenger_bezeichnung}",
            "freigabe_nr": f.pk,
            "protokoll_nr": protokoll.pk,
            "eigentuemer": str(f.eigentuemer),
            "objekt_titel": str(objekt),
            "abschnitte": [
                {
                    "titel": "Gegenstand",
                    "zeilen": [
                        ["Titel", str(objekt)],
                        ["Art", f"{objekt._meta.verbose_name} Nr. {objekt.pk}"],
                        ["Besitzende Kommune", str(f.eigentuemer)],
                    ],
                },
                {
                    "titel": "Entscheidung",
                    "zeilen": [
                        ["Entscheidung", entscheidung],
                        ["Status danach", f.get_status_display()],
                        ["Zeitpunkt", _zeit(protokoll.zeitpunkt)],
                    ]
                    + ([["Begründung", grund]] if grund else [])
                    + (
                        [["Zweckvereinbarkeit (Art. 6 Abs. 4 DSGVO)", f.zweckvereinbarkeit]]
                        if f.zweckvereinbarkeit
                        else []
                    ),
                },
                {
                    "titel": "Empfänger und Umfang",
                    "zeilen": [
                        [
                            "Empfänger",
                            f"{f.empfaenger_bezeichnung} ({f.get_empfaenger_art_display()})",
                        ],
                        ["Umfang", f.get_umfang_display()],
                        [
                            "Weitergabe an Dritte",
                            "erlaubt" if f.weitergabe_erlaubt else "nicht erlaubt",
                        ],
                    ]
                    + ([["Auflagen", f.auflagen]] if f.auflagen.strip() else []),
                },
                {"titel": "Gültigkeit", "zeilen": gueltigkeit},
                {
                    "titel": "Rechtsgrundlage",
                    "zeilen": [
                        ["Rechtsgrundlage der Weitergabe", f.rechtsgrundlage or NICHT_ANGEGEBEN],
                        [
                            "Übermittlungsgrundlage",
                            f.get_uebermittlungsgrundlage_display() or NICHT_ANGEGEBEN,
                        ],
                        ["Zweck beim Empfänger", f.empfaenger_zweck or NICHT_ANGEGEBEN],
                    ]
                    + (
                        [["Vereinbarung nach Art. 26 DSGVO", f.art26_vereinbarung]]
                        if f.art26_vereinbarung
                        else []
                    ),
                },
                {
                    "titel": "Rechtliche Angaben des Objekts",
                    "zeilen": [list(paar) for paar in rechtliche_angaben(objekt)],
                },
                {"titel": "Beteiligte", "zeilen": _beteiligte(f, objekt, art, protokoll)},
            ],
            "regeln_hinweis": (
                f"Geprüft am {_zeit(protokoll.zeitpunkt)} gegen die Regeltabelle des "
                "Wissensverbunds. „Keine Beanstandung“ heißt: Die Regel ist erfüllt oder trifft "
                "auf dieses Objekt und diese Freigabe nicht zu."
            ),
            "regeln": _regeln(f, objekt),
            "schluss": (
                f"Dieser Vermerk wurde mit der Entscheidung automatisch erstellt und gibt ihren "
                f"Stand wieder. Nachweis: Protokolleintrag Nr. {protokoll.pk} der Kommune "
                f"{f.eigentuemer}."
            ),
        }


def vermerk_anlegen(*, freigabe: Freigabe, objekt, art: str, protokoll: Protokoll):
    """The memo of one decision: its content now, in the decision's transaction; its PDF
    after commit (see the module for why)."""
    vermerk = Freigabevermerk.objects.create(
        freigabe=freigabe,
        art=art,
        protokoll=protokoll,
        inhalt=vermerk_inhalt(freigabe=freigabe, objekt=objekt, art=art, protokoll=protokoll),
    )
    from ..tasks import vermerk_zeichnen as zeichnen_aufgabe

    # Drawn by a worker, so that no decision (nor a withdrawal ending many Freigaben) waits
    # for the PDFs; without a broker (the demo, the tests) the task runs at once, and if it
    # cannot be queued the periodic sweep draws it.
    nach_commit_einreihen(zeichnen_aufgabe, vermerk.pk)
    return vermerk


def vermerk_zeichnen(*, vermerk: Freigabevermerk) -> bool:
    """Draw the memo's PDF and store it; False (logged) when that fails, nothing else changes."""
    gespeichert = None
    try:
        with transaction.atomic():
            daten = vermerk_pdf.zeichnen(vermerk.inhalt)
            vermerk.sha256 = hashlib.sha256(daten).hexdigest()
            vermerk.datei.save("vermerk.pdf", ContentFile(daten), save=False)
            gespeichert = vermerk.datei.name
            vermerk.datei_am = timezone.now()
            vermerk.save(update_fields=["datei", "sha256", "datei_am"])
    except Exception:
        # Whatever went wrong, the decision is committed: the sweep draws the memo later.
        log.exception("Freigabevermerk %s not drawn or not stored", vermerk.pk)
        if gespeichert:
            try:
                vermerk.datei.storage.delete(gespeichert)
            except Exception:
                log.exception("File %s of an unsaved Freigabevermerk not removed", gespeichert)
        vermerk.datei.name, vermerk.sha256, vermerk.datei_am = "", "", None
        return False
    return True


def vermerke_nachholen(*, max_anzahl: int = NACHHOLEN_MAX) -> int:
    """Draw the memos whose file is still owed (the store was down at the decision)."""
    gezeichnet = 0
    ids = list(
        Freigabevermerk.objects.filter(datei="")
        .order_by("erstellt_am", "pk")
        .values_list("pk", flat=True)[:max_anzahl]
    )
    for pk in ids:
        if vermerk_nachholen(pk=pk):
            gezeichnet += 1
    return gezeichnet


def vermerk_nachholen(*, pk: int) -> bool:
    """Draw one memo if its file is still owed; safe to run twice at once (the second finds it
    locked or done). Never raises: it runs after the decision's commit."""
    try:
        with transaction.atomic():
            vermerk = (
                Freigabevermerk.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, datei="")
                .select_related("freigabe")
                .first()
            )
            return vermerk is not None and vermerk_zeichnen(vermerk=vermerk)
    except Exception:
        log.exception("Freigabevermerk %s not drawn", pk)
        return False
