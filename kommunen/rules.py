"""The legal sharing rules: pure functions from an object's metadata and a Freigabe to violations.

Each rule has a stable id, a predicate and a German message naming its legal ground, so a
lawyer can read the table and a test can walk it. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .vokabular import (
    LIZENZEN_MIT_NAMENSNENNUNG,
    PERSONENBEZOGEN,
    Einstufung,
    EmpfaengerArt,
    Gremienstatus,
    Nutzungsrechte,
    Personenbezug,
    Umfang,
    Vergabebezug,
)

# What a violation does to an active Freigabe when it is re-checked.
SPERRT = "sperrt"  # the Freigabe may not stand: refused or suspended
HAELT_DOKUMENTE_ZURUECK = "haelt_dokumente_zurueck"  # metadata stays, documents withheld


@dataclass(frozen=True)
class Verstoss:
    rule: str
    message: str
    wirkung: str = SPERRT

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class RegelVerstoss(ValidationError):
    """A Freigabe breaks one or more legal rules; each message starts with its rule id."""

    def __init__(self, verstoesse: list[Verstoss]):
        self.verstoesse = verstoesse
        super().__init__([str(v) for v in verstoesse], code="regel")


@dataclass(frozen=True)
class Umstaende:
    """Facts beyond the object and the Freigabe that a rule needs, gathered by the caller
    (`Freigabe.umstaende()`), so that the rules themselves never read the database."""

    # The owner Kommune is a member of the recipient Verbund (None: not known).
    eigentuemer_im_verbund: bool | None = None
    # Who proposed the Freigabe belongs to the owner Kommune (None: not known).
    antrag_aus_eigentuemer_kommune: bool | None = None


@dataclass(frozen=True)
class Regel:
    id: str
    wann: str
    dann: str
    pruefen: Callable[[Any, Any, Umstaende], list[str]]
    wirkung: str = SPERRT
    grundlage: str = ""  # the legal ground, as a lawyer would cite it
    abhilfe: str = ""  # what the city does instead, in plain words


def _oeffentlich(f) -> bool:
    return f.empfaenger_art == EmpfaengerArt.OEFFENTLICH


def _personal(o) -> bool:
    return o.personenbezug in PERSONENBEZOGEN


def _dsgvo_1(o, f, u) -> list[str]:
    if not _personal(o):
        return []
    msgs = []
    missing = [
        name
        for name, value in (
            (_("Rechtsgrundlage"), o.rechtsgrundlage),
            (_("Zweck"), o.zweck),
            (_("Löschdatum"), o.loeschdatum),
        )
        if not (value.strip() if isinstance(value, str) else value)
    ]
    if missing:
        msgs.append(
            _(
                "Personenbezogene (auch pseudonymisierte) Daten dürfen nur mit Rechtsgrundlage, "
                "Zweck und Löschdatum weitergegeben werden (Art. 6 Abs. 1 lit. e DSGVO i. V. m. "
                "Art. 4, 5 BayDSG). Es fehlt: %(fehlt)s."
            )
            % {"fehlt": ", ".join(str(m) for m in missing)}
        )
    if f.empfaenger_art != EmpfaengerArt.KOMMUNE:
        msgs.append(
            _(
                "Personenbezogene Daten dürfen nur an namentlich benannte Kommunen gehen, nie an "
                "einen Verbund oder die Öffentlichkeit (Art. 5 Abs. 1 lit. b und c DSGVO, "
                "Art. 5 BayDSG)."
            )
        )
    return msgs


def _dsgvo_2(o, f, u) -> list[str]:
    if o.personenbezug != Personenbezug.BESONDERE_KATEGORIEN:
        return []
    if o.dsfa_durchgefuehrt and o.dsfa_referenz.strip():
        return []
    return [
        _(
            "Besondere Kategorien personenbezogener Daten (Art. 9 DSGVO) dürfen nur weitergegeben "
            "werden, wenn eine Datenschutz-Folgenabschätzung (Art. 35 DSGVO) durchgeführt und "
            "mit Aktenzeichen erfasst ist."
        )
    ]


def _vier_augen(o, f, u) -> list[str]:
    if not (_personal(o) or o.einstufung == Einstufung.VS_NFD):
        return []
    entschieden = getattr(f, "entschieden_von_id", None)
    if entschieden is None:
        return []
    if entschieden == f.beantragt_von_id:
        return [
            _(
                "Vier-Augen-Prinzip: Bei personenbezogenen Daten und VS-NfD darf nicht dieselbe "
                "Person beantragen und erteilen (Art. 32 DSGVO, § 6 VSA). Bitte eine andere "
                "Freigabe-Admin entscheiden lassen."
            )
        ]
    if not u.antrag_aus_eigentuemer_kommune:
        return [
            _(
                "Vier-Augen-Prinzip: Bei personenbezogenen Daten und VS-NfD prüfen zwei Personen "
                "der besitzenden Kommune (Art. 32 DSGVO, § 6 VSA); wer aus einer anderen Kommune "
                "anfragt, ist nicht das zweite Augenpaar. Bitte die Anfrage befürworten: Eine "
                "zweite Freigabe-Admin erteilt dann die Freigabe."
            )
        ]
    return []


def _vsnfd_1(o, f, u) -> list[str]:
    if o.einstufung != Einstufung.VS_NFD:
        return []
    msgs = []
    if f.empfaenger_art != EmpfaengerArt.KOMMUNE:
        msgs.append(
            _(
                "VS-NfD darf nur an namentlich benannte Kommunen gehen (§ 3 VSA: Kenntnis nur, "
                "soweit erforderlich)."
            )
        )
    if f.umfang != Umfang.METADATEN:
        msgs.append(
            _(
                "Bei VS-NfD sind nur die Metadaten teilbar: Der Wissensverbund ist kein "
                "zugelassenes VS-IT-System (VSA); die Unterlagen gibt es bei der Ansprechstelle."
            )
        )
    if f.weitergabe_erlaubt:
        msgs.append(_("VS-NfD darf nicht weitergegeben werden (VSA)."))
    return msgs


def _rechte_1(o, f, u) -> list[str]:
    if o.nutzungsrechte not in (Nutzungsrechte.UNGEKLAERT, Nutzungsrechte.NUR_INTERN):
        return []
    return [
        _(
            "Die Nutzungsrechte sind ungeklärt oder nur für interne Zwecke eingeräumt "
            "(§ 31 Abs. 5 UrhG): Keine Weitergabe außerhalb der eigenen Kommune, bis die Rechte "
            "geklärt sind."
        )
    ]


def _rechte_2(o, f, u) -> list[str]:
    if o.nutzungsrechte == Nutzungsrechte.WEITERGABE and _oeffentlich(f):
        return [
            _(
                "Die Nutzungsrechte erlauben die Weitergabe an öffentliche Stellen, aber keine "
                "Veröffentlichung (§ 31 Abs. 5, § 19a UrhG)."
            )
        ]
    return []


def _vergabe_1(o, f, u) -> list[str]:
    if o.vergabebezug != Vergabebezug.BIETERUNTERLAGEN:
        return []
    if _oeffentlich(f):
        return [
            _(
                "Bieterunterlagen (Angebote, Preise, Wertung) werden nie veröffentlicht: Sie sind "
                "vertraulich (§ 5 VgV)."
            )
        ]
    if not o.geschwaerzt:
        return [
            _(
                "Bieterunterlagen dürfen an Partner nur geschwärzt gehen (§ 5 VgV: Schutz der "
                "Betriebs- und Geschäftsgeheimnisse)."
            )
        ]
    return []


def _gremium_1(o, f, u) -> list[str]:
    if o.gremienstatus != Gremienstatus.NICHTOEFFENTLICH:
        return []
    return [
        _(
            "Nichtöffentlich behandelte Gremienunterlagen unterliegen der Verschwiegenheit "
            "(Art. 20, Art. 52 GO): keine Weitergabe außerhalb der eigenen Kommune."
        )
    ]


def _oeffentlich_1(o, f, u) -> list[str]:
    if not _oeffentlich(f):
        return []
    fehlt = []
    if o.einstufung != Einstufung.OFFEN:
        fehlt.append(_("Einstufung „offen“"))
    if o.personenbezug not in (Personenbezug.KEINER, Personenbezug.ANONYMISIERT):
        fehlt.append(_("kein Personenbezug"))
    if o.nutzungsrechte not in (Nutzungsrechte.EIGENE, Nutzungsrechte.UMFASSEND):
        fehlt.append(_("eigene oder umfassende Nutzungsrechte"))
    if not o.lizenz:
        fehlt.append(_("eine Lizenz"))
    elif o.lizenz in LIZENZEN_MIT_NAMENSNENNUNG and not o.quellenvermerk.strip():
        fehlt.append(_("ein Quellenvermerk für die Namensnennung"))
    if not fehlt:
        return []
    return [
        _(
            "Eine Veröffentlichung braucht %(fehlt)s (Art. 5 DSGVO, §§ 31, 19a UrhG, "
            "Datennutzungsgesetz)."
        )
        % {"fehlt": ", ".join(str(x) for x in fehlt)}
    ]


def _frist_1(o, f, u) -> list[str]:
    # Data protection grounds the time limit only where the data is personal; for everything
    # else it is the cooperation agreement that the Kommunen signed.
    personal = _personal(o)
    if f.gueltig_bis is None:
        if personal:
            return [
                _(
                    "Jede Freigabe personenbezogener Daten braucht ein Enddatum „gültig bis“ "
                    "(Grundsatz der Speicherbegrenzung und Erforderlichkeit, Art. 5 Abs. 1 "
                    "lit. c und e DSGVO; üblich: 24 Monate)."
                )
            ]
        return [
            _(
                "Jede Freigabe außerhalb der eigenen Kommune braucht ein Enddatum „gültig bis“: "
                "Die Kooperationsvereinbarung stellt Ergebnisse auf Zeit zur Verfügung (üblich: "
                "24 Monate, danach neu beantragen)."
            )
        ]
    if f.gueltig_ab is not None and f.gueltig_bis < f.gueltig_ab:
        return [
            _(
                "„Gültig bis“ liegt vor „gültig ab“: Eine Freigabe braucht einen echten "
                "Zeitraum (Kooperationsvereinbarung; bei personenbezogenen Daten Art. 5 Abs. 1 "
                "lit. e DSGVO, Speicherbegrenzung)."
            )
        ]
    return []


def _gemeinsam_1(o, f, u) -> list[str]:
    if f.umfang != Umfang.MITARBEIT or not _personal(o):
        return []
    if (getattr(f, "art26_vereinbarung", "") or "").strip():
        return []
    return [
        _(
            "Wer personenbezogene Daten gemeinsam bearbeitet, ist gemeinsam verantwortlich "
            "(Art. 26 DSGVO): Eine Mitarbeit-Freigabe braucht die Referenz der Vereinbarung "
            "zwischen den Kommunen. Bitte deren Aktenzeichen eintragen oder nur „vollständig“ "
            "freigeben."
        )
    ]


def _weitergabe_1(o, f, u) -> list[str]:
    if not getattr(f, "weitergabe_erlaubt", False):
        return []
    gruende = []
    if _personal(o):
        gruende.append(
            _(
                "personenbezogene Daten: jede weitere Übermittlung braucht eine eigene "
                "Rechtsgrundlage (Art. 6 Abs. 4 DSGVO, Art. 5 BayDSG)"
            )
        )
    if o.vergabebezug == Vergabebezug.BIETERUNTERLAGEN:
        gruende.append(_("Bieterunterlagen sind vertraulich (§ 5 VgV)"))
    if o.nutzungsrechte == Nutzungsrechte.WEITERGABE:
        gruende.append(
            _(
                "die Nutzungsrechte erlauben die Weitergabe nur an öffentliche Stellen, nicht an "
                "beliebige Dritte (§ 31 Abs. 5 UrhG)"
            )
        )
    if not gruende:
        return []
    return [
        _(
            "„Weitergabe an Dritte erlaubt“ ist hier nicht zulässig: %(gruende)s. Bitte ohne "
            "Weitergabe freigeben; wer mehr braucht, fragt selbst bei Ihrer Kommune an."
        )
        % {"gruende": "; ".join(str(g) for g in gruende)}
    ]


def _verbund_1(o, f, u) -> list[str]:
    if f.empfaenger_art != EmpfaengerArt.VERBUND or u.eigentuemer_im_verbund:
        return []
    return [
        _(
            "Teilen mit einem Verbund setzt voraus, dass die eigene Kommune ihm angehört: Nur "
            "die Kooperationsvereinbarung des Verbunds trägt die Weitergabe an seine Mitglieder "
            "(Art. 4 ff. BayVwVfG, Art. 5 BayDSG). Bitte an einzelne Kommunen freigeben oder "
            "zuerst dem Verbund beitreten."
        )
    ]


def _version_1(o, f, u) -> list[str]:
    if f.umfang == Umfang.METADATEN or not getattr(f, "dokumente_zurueckgehalten", False):
        return []
    return [
        _(
            "Dokumente wurden nach der Freigabe hinzugefügt oder ersetzt: Sie bleiben "
            "zurückgehalten, bis eine Freigabe-Admin sie erneut prüft; die Metadaten bleiben "
            "sichtbar. Die Freigabe deckt nur geprüfte Unterlagen (Rechenschaftspflicht, "
            "Art. 5 Abs. 2 DSGVO; Umfang der Nutzungsrechte, § 31 Abs. 5 UrhG)."
        )
    ]


def _loesch_1(o, f, u) -> list[str]:
    loeschdatum = getattr(o, "loeschdatum", None)
    if not loeschdatum:
        return []
    bis = f.gueltig_bis
    # Values may arrive as ISO strings (an object built from input, not yet read back).
    if isinstance(loeschdatum, str):
        loeschdatum = dt.date.fromisoformat(loeschdatum)
    if isinstance(bis, str):
        bis = dt.date.fromisoformat(bis)
    # Data protection binds the date where the data is personal; otherwise it is the owner's
    # own decision to keep the content until then, and the agreement shares only what it keeps.
    if _personal(o):
        grund = _(
            "Speicherbegrenzung und Recht auf Löschung, Art. 5 Abs. 1 lit. e, Art. 17 DSGVO, "
            "Art. 5 BayDSG"
        )
    else:
        grund = _(
            "die Kommune hat selbst entschieden, den Inhalt bis dahin aufzubewahren; die "
            "Kooperationsvereinbarung stellt nur bereit, was die Kommune noch vorhält"
        )
    werte = {"datum": loeschdatum.strftime("%d.%m.%Y"), "grund": grund}
    if loeschdatum < timezone.localdate():
        return [
            _(
                "Das Löschdatum %(datum)s ist überschritten: Das Objekt ist zu löschen und darf "
                "nicht mehr geteilt werden (%(grund)s). Bitte das Objekt löschen oder das "
                "Löschdatum mit Begründung verlängern."
            )
            % werte
        ]
    if bis is None or bis > loeschdatum:
        return [
            _(
                "Eine Freigabe darf nicht über das Löschdatum %(datum)s hinaus laufen "
                "(%(grund)s). Bitte „gültig bis“ spätestens auf das Löschdatum setzen oder das "
                "Löschdatum mit Begründung verlängern."
            )
            % werte
        ]
    return []


REGELN: tuple[Regel, ...] = (
    Regel(
        "DSGVO-1",
        "personenbezogene Daten (auch pseudonymisiert)",
        "Rechtsgrundlage, Zweck, Löschdatum; nur an benannte Kommunen; nie öffentlich",
        _dsgvo_1,
        grundlage=(
            "Art. 6 Abs. 1 lit. e, Art. 5 Abs. 1 lit. b und c DSGVO i. V. m. Art. 4, 5 BayDSG"
        ),
        abhilfe=(
            "Rechtsgrundlage, Zweck und Löschdatum am Objekt eintragen; nur an namentlich benannte "
            "Kommunen freigeben."
        ),
    ),
    Regel(
        "DSGVO-2",
        "besondere Kategorien (Art. 9 DSGVO)",
        "wie DSGVO-1, dazu eine erfasste DSFA",
        _dsgvo_2,
        grundlage="Art. 9, Art. 35 DSGVO",
        abhilfe=(
            "Die Datenschutz-Folgenabschätzung durchführen und ihr Aktenzeichen am Objekt erfassen."
        ),
    ),
    Regel(
        "VIER-AUGEN",
        "personenbezogen oder VS-NfD",
        "zwei Personen der besitzenden Kommune: wer erteilt, hat nicht beantragt; eine "
        "Zugangsanfrage von außen zählt nicht als Antrag",
        _vier_augen,
        grundlage="Art. 32 DSGVO; § 6 VSA",
        abhilfe="Eine zweite Freigabe-Admin der Kommune entscheiden lassen.",
    ),
    Regel(
        "VSNFD-1",
        "VS-NfD",
        "nur an benannte Kommunen, nur Metadaten, keine Weitergabe",
        _vsnfd_1,
        grundlage="§ 3 VSA; der Wissensverbund ist kein zugelassenes VS-IT-System",
        abhilfe=(
            "Nur die Metadaten an benannte Kommunen freigeben; die Unterlagen über die "
            "Ansprechstelle anfragen lassen."
        ),
    ),
    Regel(
        "RECHTE-1",
        "Nutzungsrechte ungeklärt oder nur intern",
        "keine Weitergabe außerhalb der Kommune",
        _rechte_1,
        grundlage="§ 31 Abs. 5 UrhG",
        abhilfe=(
            "Die Nutzungsrechte beim Urheber oder Auftragnehmer klären und am Objekt eintragen."
        ),
    ),
    Regel(
        "RECHTE-2",
        "Weitergabe an öffentliche Stellen",
        "andere Stellen ja, Öffentlichkeit nein",
        _rechte_2,
        grundlage="§ 31 Abs. 5, § 19a UrhG",
        abhilfe=(
            "An Kommunen oder einen Verbund freigeben statt zu veröffentlichen, oder umfassende "
            "Rechte erwerben."
        ),
    ),
    Regel(
        "VERGABE-1",
        "Bieterunterlagen",
        "nie öffentlich; an Partner nur geschwärzt",
        _vergabe_1,
        grundlage="§ 5 VgV",
        abhilfe=(
            "Bieterunterlagen schwärzen (Preise, Wertung, Betriebsgeheimnisse) und nur an Partner "
            "freigeben."
        ),
    ),
    Regel(
        "GREMIUM-1",
        "nichtöffentlich behandelt",
        "keine Weitergabe außerhalb der Kommune",
        _gremium_1,
        grundlage="Art. 20, Art. 52 GO",
        abhilfe="Erst nach Aufhebung der Geheimhaltung durch das Gremium freigeben.",
    ),
    Regel(
        "OEFFENTLICH-1",
        "Empfänger Öffentlichkeit",
        "offen, ohne Personenbezug, eigene/umfassende Rechte, Lizenz (mit Quellenvermerk)",
        _oeffentlich_1,
        grundlage="Art. 5 DSGVO; §§ 31, 19a UrhG; Datennutzungsgesetz",
        abhilfe=(
            "Einstufung „offen“, kein Personenbezug, eigene oder umfassende Rechte und eine Lizenz "
            "(mit Quellenvermerk) eintragen, oder nur an Kommunen freigeben."
        ),
    ),
    Regel(
        "FRIST-1",
        "jede Weitergabe",
        "Enddatum erforderlich (Standard 24 Monate)",
        _frist_1,
        grundlage=(
            "die Kooperationsvereinbarung; bei personenbezogenen Daten Art. 5 Abs. 1 lit. e DSGVO "
            "(Speicherbegrenzung)"
        ),
        abhilfe=(
            "Ein Enddatum „gültig bis“ setzen (üblich 24 Monate) und bei Bedarf neu beantragen."
        ),
    ),
    Regel(
        "GEMEINSAM-1",
        "Mitarbeit an personenbezogenen Daten",
        "Referenz einer Vereinbarung gemeinsam Verantwortlicher",
        _gemeinsam_1,
        grundlage="Art. 26 DSGVO",
        abhilfe=(
            "Die Vereinbarung nach Art. 26 DSGVO abschließen und ihr Aktenzeichen bei der Freigabe "
            "eintragen, oder nur „vollständig“ (ohne Mitarbeit) freigeben."
        ),
    ),
    Regel(
        "WEITERGABE-1",
        "„Weitergabe an Dritte erlaubt“",
        "nicht bei personenbezogenen Daten, Bieterunterlagen, Rechten nur für öffentliche "
        "Stellen (VS-NfD: VSNFD-1)",
        _weitergabe_1,
        grundlage="Art. 6 Abs. 4 DSGVO, Art. 5 BayDSG; § 5 VgV; § 31 Abs. 5 UrhG",
        abhilfe="Ohne Weitergabe an Dritte freigeben; Dritte fragen selbst bei der Kommune an.",
    ),
    Regel(
        "VERBUND-1",
        "Empfänger Verbund",
        "die besitzende Kommune ist Mitglied des Verbunds",
        _verbund_1,
        grundlage="Art. 4 ff. BayVwVfG, Art. 5 BayDSG; die Kooperationsvereinbarung des Verbunds",
        abhilfe="An einzelne Kommunen freigeben oder zuerst dem Verbund beitreten.",
    ),
    Regel(
        "VERSION-1",
        "Dokument hinzugefügt oder ersetzt",
        "Dokumente zurückgehalten bis zur erneuten Prüfung",
        _version_1,
        wirkung=HAELT_DOKUMENTE_ZURUECK,
        grundlage="Art. 5 Abs. 2 DSGVO (Rechenschaftspflicht); § 31 Abs. 5 UrhG",
        abhilfe="Die neuen Dokumente prüfen und die Freigabe erneut erteilen.",
    ),
    Regel(
        "LOESCH-1",
        "Objekt mit Löschdatum",
        "nach dem Löschdatum nicht mehr teilbar; jede Freigabe endet spätestens am Löschdatum",
        _loesch_1,
        grundlage=(
            "Art. 5 Abs. 1 lit. e, Art. 17 DSGVO, Art. 5 BayDSG (personenbezogene Daten); sonst "
            "die Aufbewahrungsentscheidung der besitzenden Kommune"
        ),
        abhilfe=(
            "„Gültig bis“ spätestens auf das Löschdatum setzen oder das Löschdatum mit Begründung "
            "verlängern; ist es überschritten, das Objekt löschen."
        ),
    ),
)

REGEL_IDS = tuple(r.id for r in REGELN)

WIRKUNG = {SPERRT: "verweigert oder setzt aus", HAELT_DOKUMENTE_ZURUECK: "hält Dokumente zurück"}


def tabelle_markdown() -> str:
    """The rule table for lawyers (id, when, then, effect, legal ground, how to fix), as
    Markdown: printed by `manage.py regeln`, kept in docs/regeln.md."""

    def zelle(text: str) -> str:
        return text.replace("|", "\\|")

    zeilen = [
        "# Regeln des Wissensverbunds",
        "",
        "Erzeugt aus `kommunen/rules.py` mit `python manage.py regeln`. Jede Freigabe wird vor dem "
        "Beantragen, beim Erteilen und nach jeder Änderung der rechtlichen Angaben gegen diese "
        "Tabelle geprüft; eine Ablehnung nennt die Regel-Id.",
        "",
        "| Id | Wann | Dann | Wirkung | Rechtsgrundlage | Was stattdessen tun |",
        "|---|---|---|---|---|---|",
    ]
    for r in REGELN:
        zeilen.append(
            "| "
            + " | ".join(
                zelle(t) for t in (r.id, r.wann, r.dann, WIRKUNG[r.wirkung], r.grundlage, r.abhilfe)
            )
            + " |"
        )
    return "\n".join(zeilen) + "\n"


def check(freigabe, objekt=None, umstaende: Umstaende | None = None) -> list[Verstoss]:
    """All violations of a (saved or unsaved) Freigabe against its object's legal metadata.

    Without `umstaende` nothing beyond the two objects is known, and a rule that needs more
    (VERBUND-1) does not pass.
    """
    objekt = objekt if objekt is not None else freigabe.objekt
    umstaende = umstaende or Umstaende()
    return [
        Verstoss(regel.id, str(message), regel.wirkung)
        for regel in REGELN
        for message in regel.pruefen(objekt, freigabe, umstaende)
    ]


def sperrende(verstoesse: list[Verstoss]) -> list[Verstoss]:
    return [v for v in verstoesse if v.wirkung == SPERRT]
