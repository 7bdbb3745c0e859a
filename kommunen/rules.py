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
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .vokabular import (
    LIZENZEN_MIT_NAMENSNENNUNG,
    PERSONENBEZOGEN,
    Einstufung,
    Einwilligung,
    EmpfaengerArt,
    Geheimnisschutz,
    Gremienstatus,
    Nutzungsrechte,
    Personenbezug,
    Schwellenwert,
    Uebermittlungsgrundlage,
    Umfang,
    Vergabebezug,
    Vergabestand,
)

# What a violation does to an active Freigabe when it is re-checked.
SPERRT = "sperrt"  # the Freigabe may not stand: refused or suspended
HAELT_DOKUMENTE_ZURUECK = "haelt_dokumente_zurueck"  # metadata stays, documents withheld


def verweis(rule: str) -> str:
    """A rule as people name it: "Regel LOESCH-1"."""
    return gettext("Regel %(regel)s") % {"regel": rule}


def mit_verweis(text, rule: str) -> str:
    """A message as people read it: the sentence first, then its rule as a reference,
    "… (Regel LOESCH-1)". The one place that decides how a rule id is shown in running text."""
    return gettext("%(text)s (%(verweis)s)") % {"text": text, "verweis": verweis(rule)}


# For messages defined at import time (gettext_lazy constants), translated when shown.
mit_verweis_lazy = lazy(mit_verweis, str)


@dataclass(frozen=True)
class Verstoss:
    rule: str  # the id stays data: the Protokoll records it, tests and filters match on it
    message: str
    wirkung: str = SPERRT

    def __str__(self) -> str:
        return mit_verweis(self.message, self.rule)


class RegelVerstoss(ValidationError):
    """A Freigabe breaks one or more legal rules; each message ends with its rule reference."""

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
    msgs = []
    if not o.art9_ausnahme:
        msgs.append(
            _(
                "Besondere Kategorien personenbezogener Daten (Art. 9 DSGVO) dürfen nur auf Grund "
                "einer Ausnahme nach Art. 9 Abs. 2 DSGVO (i. V. m. Art. 8 BayDSG) verarbeitet "
                "und weitergegeben werden: Sie ist am Objekt nicht angegeben."
            )
        )
    if not (o.dsfa_durchgefuehrt and o.dsfa_referenz.strip()):
        msgs.append(
            _(
                "Besondere Kategorien personenbezogener Daten (Art. 9 DSGVO) dürfen nur "
                "weitergegeben werden, wenn eine Datenschutz-Folgenabschätzung (Art. 35 DSGVO) "
                "durchgeführt und mit Aktenzeichen erfasst ist."
            )
        )
    return msgs


def gleicher_zweck(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join((text or "").casefold().split()).rstrip(".;,")

    return norm(a) == norm(b)


def _dsgvo_3(o, f, u) -> list[str]:
    if not _personal(o):
        return []
    msgs = []
    grundlage = getattr(f, "uebermittlungsgrundlage", "") or ""
    zweck = (getattr(f, "empfaenger_zweck", "") or "").strip()
    if grundlage not in Uebermittlungsgrundlage.values or not grundlage:
        msgs.append(
            _(
                "Die Übermittlung personenbezogener Daten an eine andere Kommune braucht eine "
                "eigene Rechtsgrundlage aus der Liste (z. B. Art. 6 Abs. 1 lit. e DSGVO i. V. m. "
                "Art. 5 Abs. 1 BayDSG oder Amtshilfe nach Art. 4 ff. BayVwVfG); ein Freitext "
                "genügt nicht."
            )
        )
    if not zweck:
        msgs.append(
            _(
                "Für die Übermittlung personenbezogener Daten ist der Zweck anzugeben, zu dem die "
                "Empfänger sie verwenden (Art. 5 Abs. 1 lit. b DSGVO, Zweckbindung)."
            )
        )
    if not o.einwilligung:
        msgs.append(
            _(
                "Am Objekt fehlt die Angabe, ob die Daten auf eine Einwilligung gestützt erhoben "
                "wurden: Dann reicht die Weitergabe nie weiter als die Einwilligung "
                "(Art. 6 Abs. 1 lit. a, Art. 7 DSGVO)."
            )
        )
    elif o.einwilligung == Einwilligung.OHNE_WEITERGABE:
        msgs.append(
            _(
                "Die Daten wurden auf eine Einwilligung gestützt erhoben, die keine Weitergabe "
                "abdeckt: Sie bleiben in der eigenen Kommune (Art. 6 Abs. 1 lit. a, Art. 7 DSGVO)."
            )
        )
    if (
        grundlage == Uebermittlungsgrundlage.EINWILLIGUNG
        and o.einwilligung != Einwilligung.MIT_WEITERGABE
    ):
        msgs.append(
            _(
                "Als Grundlage der Übermittlung ist eine Einwilligung gewählt, am Objekt ist aber "
                "keine Einwilligung erfasst, die die Weitergabe abdeckt (Art. 7 DSGVO)."
            )
        )
    if (
        grundlage == Uebermittlungsgrundlage.GEMEINSAME_VERANTWORTUNG
        and not (getattr(f, "art26_vereinbarung", "") or "").strip()
    ):
        msgs.append(
            _(
                "Als Grundlage ist eine Vereinbarung gemeinsam Verantwortlicher gewählt: Bitte "
                "ihr Aktenzeichen angeben (Art. 26 DSGVO)."
            )
        )
    if zweck and not gleicher_zweck(o.zweck, zweck):
        if o.einwilligung == Einwilligung.MIT_WEITERGABE:
            msgs.append(
                _(
                    "Die Daten wurden auf eine Einwilligung gestützt erhoben: Die Empfänger dürfen "
                    "sie nur zum eingewilligten Zweck „%(zweck)s“ verwenden, eine Prüfung der "
                    "Zweckvereinbarkeit ersetzt keine Einwilligung (Art. 6 Abs. 4 DSGVO)."
                )
                % {"zweck": o.zweck}
            )
        elif (
            getattr(f, "entschieden_von_id", None) is not None
            and not (getattr(f, "zweckvereinbarkeit", "") or "").strip()
        ):
            # Asked of whoever decides: a proposal may leave the reason to the decider.
            msgs.append(
                _(
                    "Der Zweck beim Empfänger weicht vom Zweck der Erhebung ab: Wer entscheidet, "
                    "bestätigt mit Begründung, dass die Zwecke vereinbar sind "
                    "(Art. 6 Abs. 4 DSGVO, Art. 6 BayDSG)."
                )
            )
    return msgs


def _straftaten_1(o, f, u) -> list[str]:
    if o.personenbezug != Personenbezug.STRAFTATEN:
        return []
    return [
        _(
            "Daten über strafrechtliche Verurteilungen und Straftaten (Art. 10 DSGVO) verlassen "
            "die eigene Kommune nicht: Ihre Verarbeitung ist nur unter behördlicher Aufsicht oder "
            "auf besonderer gesetzlicher Grundlage zulässig."
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


def _geheim_1(o, f, u) -> list[str]:
    regime = o.geheimnisschutz
    if regime == Geheimnisschutz.KEINER:
        return []
    if not regime:
        return [
            _(
                "Am Objekt ist nicht angegeben, ob ein besonderes Amts- oder Berufsgeheimnis gilt "
                "(Sozial-, Steuer-, Statistik-, Meldegeheimnis, § 203 StGB). Diese Geheimnisse "
                "gehen dem Datenschutzrecht vor: Bitte prüfen und eintragen."
            )
        ]
    msgs = []
    if f.umfang != Umfang.METADATEN:
        msgs.append(
            _(
                "Für den Inhalt gilt das %(regime)s: Es geht dem Datenschutzrecht vor und erlaubt "
                "keine Weitergabe der Unterlagen an andere Stellen ohne eigene gesetzliche "
                "Befugnis. Teilbar ist nur die Beschreibung (Metadaten)."
            )
            % {"regime": Geheimnisschutz(regime).label}
        )
    if f.weitergabe_erlaubt:
        msgs.append(
            _("Für den Inhalt gilt das %(regime)s: keine Weitergabe an Dritte.")
            % {"regime": Geheimnisschutz(regime).label}
        )
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


def _lizenz_1(o, f, u) -> list[str]:
    if not o.lizenz:
        return []
    if o.nutzungsrechte == Nutzungsrechte.EIGENE:
        return []
    if o.nutzungsrechte == Nutzungsrechte.UMFASSEND and o.unterlizenz_erlaubt:
        return []
    return [
        _(
            "Eine offene Lizenz (etwa CC BY oder Datenlizenz Deutschland) räumt jedem "
            "Nutzungsrechte ein: Das darf nur, wer selbst Urheber ist oder Rechte erworben hat, "
            "die das Einräumen weiterer Rechte einschließen (§§ 31, 35 UrhG)."
        )
    ]


def _vergabe_grundlage(o) -> str:
    if o.schwellenwert == Schwellenwert.OBERSCHWELLIG:
        return str(_("§ 5 VgV"))
    if o.schwellenwert == Schwellenwert.UNTERSCHWELLIG:
        return str(_("§ 3 UVgO i. V. m. den Vergabegrundsätzen nach KommHV"))
    return str(_("§ 5 VgV oberhalb, § 3 UVgO und KommHV unterhalb der EU-Schwellenwerte"))


def _vergabe_1(o, f, u) -> list[str]:
    if o.vergabebezug != Vergabebezug.BIETERUNTERLAGEN:
        return []
    if _oeffentlich(f):
        return [
            _(
                "Bieterunterlagen (Angebote, Preise, Wertung) werden nie veröffentlicht: Sie sind "
                "vertraulich (%(grundlage)s)."
            )
            % {"grundlage": _vergabe_grundlage(o)}
        ]
    if not o.geschwaerzt:
        return [
            _(
                "Bieterunterlagen dürfen an Partner nur geschwärzt gehen (%(grundlage)s: Schutz "
                "der Betriebs- und Geschäftsgeheimnisse)."
            )
            % {"grundlage": _vergabe_grundlage(o)}
        ]
    return []


def _vergabe_2(o, f, u) -> list[str]:
    if o.vergabebezug == Vergabebezug.KEINER:
        return []
    if o.vergabestand in (Vergabestand.ZUSCHLAG, Vergabestand.AUFGEHOBEN):
        return []
    if not o.vergabestand:
        return [
            _(
                "Der Stand des Vergabeverfahrens ist nicht angegeben: Unterlagen eines laufenden "
                "Verfahrens bleiben bis zum Zuschlag in der eigenen Kommune (Gleichbehandlung, "
                "§ 97 Abs. 2 GWB, § 2 Abs. 2 UVgO). Bitte den Stand eintragen."
            )
        ]
    return [
        _(
            "Das Vergabeverfahren läuft noch: Vergabeunterlagen bleiben bis zum Zuschlag in der "
            "eigenen Kommune, damit kein Bieter einen Wissensvorsprung erhält (Gleichbehandlung, "
            "§ 97 Abs. 2 GWB, § 2 Abs. 2 UVgO)."
        )
    ]


def _dritte_1(o, f, u) -> list[str]:
    if not o.geschaeftsgeheimnisse_dritter or o.zustimmung_dritter.strip():
        return []
    return [
        _(
            "Der Inhalt enthält Geschäftsgeheimnisse Dritter oder unterliegt einer "
            "Geheimhaltungsvereinbarung: Ohne Zustimmung der Dritten wird er nicht weitergegeben "
            "(§§ 2, 4 GeschGehG, %(grundlage)s)."
        )
        % {
            "grundlage": _vergabe_grundlage(o)
            if o.vergabebezug != Vergabebezug.KEINER
            else "§ 203 StGB"
        }
    ]


def geheimhaltung_aufgehoben(o) -> bool:
    """Art. 52 Abs. 3 GO: the council decided publication or the reasons for secrecy are gone,
    recorded with date and reference, on a day that has come."""
    am = o.geheimhaltung_aufgehoben_am
    return bool(am and o.geheimhaltung_aufgehoben_durch.strip() and am <= timezone.localdate())


def _gremium_1(o, f, u) -> list[str]:
    if o.gremienstatus != Gremienstatus.NICHTOEFFENTLICH or geheimhaltung_aufgehoben(o):
        return []
    return [
        _(
            "Nichtöffentlich behandelte Gremienunterlagen sind geheim zu halten, bis das Gremium "
            "sie freigibt oder die Gründe der Geheimhaltung weggefallen sind (Art. 52 Abs. 2 "
            "und 3 GO). Die Beschäftigten sind zur Verschwiegenheit verpflichtet (§ 37 BeamtStG, "
            "§ 3 Abs. 1 TVöD), die Mitglieder des Gremiums nach Art. 20 GO: keine Weitergabe "
            "außerhalb der eigenen Kommune."
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
    if o.geschaeftsgeheimnisse_dritter:
        gruende.append(
            _(
                "Geschäftsgeheimnisse Dritter: deren Zustimmung deckt nur diese Weitergabe "
                "(§ 4 GeschGehG)"
            )
        )
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
        "wie DSGVO-1, dazu eine gewählte Ausnahme nach Art. 9 Abs. 2 DSGVO und eine erfasste DSFA",
        _dsgvo_2,
        grundlage="Art. 9 Abs. 2, Art. 35 DSGVO i. V. m. Art. 8 BayDSG",
        abhilfe=(
            "Die Ausnahme nach Art. 9 Abs. 2 DSGVO am Objekt wählen, die "
            "Datenschutz-Folgenabschätzung durchführen und ihr Aktenzeichen erfassen."
        ),
    ),
    Regel(
        "DSGVO-3",
        "Übermittlung personenbezogener Daten",
        "Rechtsgrundlage der Übermittlung aus der Liste und Zweck beim Empfänger; weicht der "
        "Zweck ab, bestätigt die Entscheidung die Vereinbarkeit mit Begründung; auf "
        "Einwilligung Erhobenes geht nie weiter als die Einwilligung",
        _dsgvo_3,
        grundlage=(
            "Art. 6 Abs. 1 lit. a und e, Abs. 4, Art. 7 DSGVO i. V. m. Art. 5 Abs. 1, Art. 6 "
            "BayDSG; Art. 4 ff. BayVwVfG; Art. 26 DSGVO"
        ),
        abhilfe=(
            "Bei der Freigabe die Rechtsgrundlage der Übermittlung wählen und den Zweck beim "
            "Empfänger eintragen; bei abweichendem Zweck die Vereinbarkeit begründen; am Objekt "
            "angeben, ob und wofür eingewilligt wurde."
        ),
    ),
    Regel(
        "STRAFTATEN-1",
        "Daten über strafrechtliche Verurteilungen und Straftaten (Art. 10 DSGVO)",
        "verlassen die eigene Kommune nie",
        _straftaten_1,
        grundlage="Art. 10 DSGVO",
        abhilfe=(
            "Nicht teilen. Wer die Erkenntnisse braucht, erhält eine anonymisierte Fassung als "
            "eigenes Objekt."
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
        "GEHEIM-1",
        "Sozial-, Steuer-, Statistik-, Meldegeheimnis oder Berufsgeheimnis (oder nicht geprüft)",
        "nur Metadaten, keine Weitergabe; nicht geprüft: keine Freigabe",
        _geheim_1,
        grundlage=(
            "§ 35 SGB I, §§ 67 ff. SGB X; § 30 AO; § 16 BStatG, Art. 17 BayStatG; § 7 BMG; "
            "§ 203 StGB"
        ),
        abhilfe=(
            "Am Objekt angeben, ob ein solches Geheimnis gilt; wenn ja, nur die Beschreibung "
            "(Metadaten) freigeben."
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
        "LIZENZ-1",
        "offene Lizenz am Objekt (CC, Datenlizenz Deutschland, EUPL)",
        "nur bei eigenen Werken oder Rechten, die das Einräumen von Lizenzen an Dritte umfassen",
        _lizenz_1,
        grundlage="§§ 31, 35 UrhG",
        abhilfe=(
            "Die Lizenz entfernen oder beim Rechteinhaber das Recht erwerben, Dritten "
            "Nutzungsrechte einzuräumen, und das am Objekt vermerken."
        ),
    ),
    Regel(
        "VERGABE-1",
        "Bieterunterlagen",
        "nie öffentlich; an Partner nur geschwärzt",
        _vergabe_1,
        grundlage=(
            "oberhalb der EU-Schwellenwerte § 5 VgV; unterhalb § 3 UVgO i. V. m. den "
            "Vergabegrundsätzen nach KommHV"
        ),
        abhilfe=(
            "Bieterunterlagen schwärzen (Preise, Wertung, Betriebsgeheimnisse) und nur an Partner "
            "freigeben."
        ),
    ),
    Regel(
        "VERGABE-2",
        "Vergabeunterlagen (Leistungsbeschreibung, Bieterunterlagen)",
        "erst nach Zuschlag oder Aufhebung außerhalb der Kommune; Stand unbekannt: keine Freigabe",
        _vergabe_2,
        grundlage="§ 97 Abs. 2 GWB; § 2 Abs. 2 UVgO",
        abhilfe="Nach dem Zuschlag den Stand „Zuschlag erteilt“ eintragen und dann freigeben.",
    ),
    Regel(
        "DRITTE-1",
        "Geschäftsgeheimnisse Dritter oder Geheimhaltungsvereinbarung",
        "keine Weitergabe ohne erfasste Zustimmung der Dritten",
        _dritte_1,
        grundlage="§§ 2, 4 GeschGehG; § 5 VgV, § 3 UVgO; die Geheimhaltungsvereinbarung",
        abhilfe=(
            "Die Zustimmung der Dritten einholen und am Objekt vermerken, oder die Geheimnisse "
            "schwärzen."
        ),
    ),
    Regel(
        "GREMIUM-1",
        "nichtöffentlich behandelt",
        "keine Weitergabe außerhalb der Kommune, bis die Geheimhaltung mit Datum und Beschluss "
        "aufgehoben ist",
        _gremium_1,
        grundlage="Art. 52 Abs. 2 und 3, Art. 20 GO; § 37 BeamtStG; § 3 Abs. 1 TVöD",
        abhilfe=(
            "Nach dem Beschluss des Gremiums (oder wenn die Gründe der Geheimhaltung weggefallen "
            "sind) Datum und Beschluss der Aufhebung am Objekt eintragen, dann freigeben."
        ),
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
        "nicht bei personenbezogenen Daten, Bieterunterlagen, Geschäftsgeheimnissen Dritter, "
        "Rechten nur für öffentliche Stellen (VS-NfD: VSNFD-1; Amts- und Berufsgeheimnisse: "
        "GEHEIM-1)",
        _weitergabe_1,
        grundlage="Art. 6 Abs. 4 DSGVO, Art. 5 BayDSG; § 5 VgV; § 4 GeschGehG; § 31 Abs. 5 UrhG",
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


# --- every rule with its outcome, for the page on which an admin decides ----------------------

# When a rule concerns a Freigabe at all; the rule's own predicate then says whether it holds.
# Kept beside the table so that the decision page can tell "erfüllt" from "nicht anwendbar";
# a rule missing here counts as applicable (a test walks REGELN against this table).
ANWENDBAR: dict[str, Callable[[Any, Any, Umstaende], bool]] = {
    "DSGVO-1": lambda o, f, u: _personal(o),
    "DSGVO-2": lambda o, f, u: o.personenbezug == Personenbezug.BESONDERE_KATEGORIEN,
    "DSGVO-3": lambda o, f, u: _personal(o),
    "STRAFTATEN-1": lambda o, f, u: o.personenbezug == Personenbezug.STRAFTATEN,
    "VIER-AUGEN": lambda o, f, u: _personal(o) or o.einstufung == Einstufung.VS_NFD,
    "VSNFD-1": lambda o, f, u: o.einstufung == Einstufung.VS_NFD,
    "GEHEIM-1": lambda o, f, u: o.geheimnisschutz != Geheimnisschutz.KEINER,
    "RECHTE-1": lambda o, f, u: (
        o.nutzungsrechte in (Nutzungsrechte.UNGEKLAERT, Nutzungsrechte.NUR_INTERN)
    ),
    "RECHTE-2": lambda o, f, u: o.nutzungsrechte == Nutzungsrechte.WEITERGABE,
    "LIZENZ-1": lambda o, f, u: bool(o.lizenz),
    "VERGABE-1": lambda o, f, u: o.vergabebezug == Vergabebezug.BIETERUNTERLAGEN,
    "VERGABE-2": lambda o, f, u: o.vergabebezug != Vergabebezug.KEINER,
    "DRITTE-1": lambda o, f, u: bool(o.geschaeftsgeheimnisse_dritter),
    "GREMIUM-1": lambda o, f, u: o.gremienstatus == Gremienstatus.NICHTOEFFENTLICH,
    "OEFFENTLICH-1": lambda o, f, u: _oeffentlich(f),
    "FRIST-1": lambda o, f, u: True,
    "GEMEINSAM-1": lambda o, f, u: f.umfang == Umfang.MITARBEIT and _personal(o),
    "WEITERGABE-1": lambda o, f, u: bool(getattr(f, "weitergabe_erlaubt", False)),
    "VERBUND-1": lambda o, f, u: f.empfaenger_art == EmpfaengerArt.VERBUND,
    "VERSION-1": lambda o, f, u: f.umfang != Umfang.METADATEN,
    "LOESCH-1": lambda o, f, u: bool(getattr(o, "loeschdatum", None)),
}

ERFUELLT = "erfuellt"
VERLETZT = "verletzt"
NICHT_ANWENDBAR = "nicht_anwendbar"


@dataclass(frozen=True)
class Regelergebnis:
    """One rule of the table and how a Freigabe fares under it."""

    regel: Regel
    ergebnis: str  # ERFUELLT, VERLETZT or NICHT_ANWENDBAR
    verstoesse: tuple[Verstoss, ...] = ()

    @property
    def verletzt(self) -> bool:
        return self.ergebnis == VERLETZT


def alle_pruefen(freigabe, objekt=None, umstaende: Umstaende | None = None) -> list[Regelergebnis]:
    """Every rule of REGELN with its outcome for `freigabe`: the same violations as check(),
    plus the rules that hold and those that do not concern this Freigabe."""
    objekt = objekt if objekt is not None else freigabe.objekt
    umstaende = umstaende or Umstaende()
    verstoesse = check(freigabe, objekt, umstaende)
    ergebnisse = []
    for regel in REGELN:
        eigene = tuple(v for v in verstoesse if v.rule == regel.id)
        if eigene:
            ergebnis = VERLETZT
        elif ANWENDBAR.get(regel.id, lambda o, f, u: True)(objekt, freigabe, umstaende):
            ergebnis = ERFUELLT
        else:
            ergebnis = NICHT_ANWENDBAR
        ergebnisse.append(Regelergebnis(regel, ergebnis, eigene))
    return ergebnisse


def abhilfe_fuer(regel_id: str) -> str:
    """What to do about a violation of `regel_id` (the table's "Was stattdessen tun")."""
    return next((r.abhilfe for r in REGELN if r.id == regel_id), "")
