"""Writes of kommunen, by topic; other apps import them from here.

`kommunen.py` tenants, Verbünde and users; `freigaben.py` a Freigabe's lifecycle; `fristen.py`
its dates; `objekte.py` changes of shared objects; `rueckzug.py` withdrawing and deleting them;
`zugriffsende.py` who is told when a Freigabe ends; `zugang.py` access requests;
`benachrichtigungen.py` the outbox; `wochenzusammenfassung.py` the weekly digest; `vermerke.py`
the decisions' PDF memos; `protokoll.py` the audit log (and the pseudonymisation of its read
events).
"""

from ..rules import RegelVerstoss
from .benachrichtigungen import (
    benachrichtigen,
    benachrichtigung_einstellen,
    benachrichtigung_gelesen,
    benachrichtigungen_alle_gelesen,
    freigabe_admins,
    freigabe_empfaenger_benachrichtigen,
    neue_freigabe_melden,
)
from .freigaben import (
    berechtigungen_abgleichen,
    freigabe_ablehnen,
    freigabe_beantragen,
    freigabe_erteilen,
    freigabe_widerrufen,
)
from .fristen import (
    BEGINN_NACHHOLEN_TAGE,
    ERINNERUNG_TAGE,
    ablauf_erinnern,
    freigaben_ablaufen,
    freigaben_beginnen,
    loeschdatum_erinnern,
)
from .kommunen import (
    MITGLIEDSCHAFT_UEBER_DIENST,
    benutzer_anlegen,
    benutzer_speichern,
    kommune_anlegen,
    mitgliedschaften_soll,
    mitgliedschaften_sync,
    verbund_anlegen,
    verbund_gruppe_abgleichen,
    verbund_mitglieder_setzen,
)
from .objekte import (
    beschreibung_geaendert,
    darf_anlegen,
    dokumente_geaendert,
    felder_anwenden,
    felder_pruefen,
    feldnamen,
    freigaben_kuerzen,
    nach_aenderung,
    rechtliches_geaendert,
)
from .protokoll import (
    KeineBerechtigung,
    ansicht_protokollieren,
    aufgabenlauf_merken,
    lesen_stichtag,
    protokoll_exportiert,
    protokoll_pseudonymisieren,
    protokollieren,
)
from .rueckzug import Beendet, objekt_loeschen, objekt_zurueckziehen
from .vermerke import vermerk_anlegen, vermerk_nachholen, vermerk_zeichnen, vermerke_nachholen
from .wochenzusammenfassung import wochenzusammenfassung_senden
from .zugang import zugangsanfrage_entscheiden, zugangsanfrage_stellen
from .zugriffsende import betreuende, freigabe_ende_melden

__all__ = [
    "BEGINN_NACHHOLEN_TAGE",
    "ERINNERUNG_TAGE",
    "MITGLIEDSCHAFT_UEBER_DIENST",
    "KeineBerechtigung",
    "darf_anlegen",
    "felder_anwenden",
    "felder_pruefen",
    "feldnamen",
    "nach_aenderung",
    "RegelVerstoss",
    "ablauf_erinnern",
    "ansicht_protokollieren",
    "aufgabenlauf_merken",
    "benachrichtigen",
    "benachrichtigung_einstellen",
    "benachrichtigung_gelesen",
    "benachrichtigungen_alle_gelesen",
    "benutzer_anlegen",
    "benutzer_speichern",
    "berechtigungen_abgleichen",
    "beschreibung_geaendert",
    "dokumente_geaendert",
    "freigabe_ablehnen",
    "freigabe_admins",
    "freigabe_beantragen",
    "freigabe_empfaenger_benachrichtigen",
    "freigabe_erteilen",
    "freigabe_widerrufen",
    "freigaben_ablaufen",
    "freigaben_beginnen",
    "freigaben_kuerzen",
    "kommune_anlegen",
    "lesen_stichtag",
    "loeschdatum_erinnern",
    "mitgliedschaften_soll",
    "mitgliedschaften_sync",
    "neue_freigabe_melden",
    "objekt_loeschen",
    "objekt_zurueckziehen",
    "Beendet",
    "betreuende",
    "freigabe_ende_melden",
    "protokoll_exportiert",
    "protokoll_pseudonymisieren",
    "protokollieren",
    "rechtliches_geaendert",
    "verbund_anlegen",
    "verbund_gruppe_abgleichen",
    "verbund_mitglieder_setzen",
    "vermerk_anlegen",
    "vermerk_nachholen",
    "vermerk_zeichnen",
    "vermerke_nachholen",
    "wochenzusammenfassung_senden",
    "zugangsanfrage_entscheiden",
    "zugangsanfrage_stellen",
]
