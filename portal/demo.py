"""Demo content for `seed --demo`: realistic projects and results per city, shared in every way.

Everything goes through the real services, so permissions, Protokoll, notifications and
search vectors are the ones the portal would produce. Idempotent: objects are found by their
natural keys (title and Kommune, slug); an object's story (documents, Freigaben, requests) is
only played when the object is new, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kommunen import services, sharing
from kommunen.models import (
    Benutzer,
    EmpfaengerArt,
    Freigabe,
    Kommune,
    Protokoll,
    Verbund,
    Zugangsanfrage,
)
from projekte.models import Abo, Beteiligung, Initiative, Nachnutzung, Projekt, Thema
from projekte.suche import projekt_suchvektor_aktualisieren
from wissen.models import Dokument, Ergebnis
from wissen.suche import ergebnis_suchvektor_aktualisieren

from . import demo_inhalt as inhalt
from .demo_pdf import pdf_erzeugen

A = Protokoll.Aktion


class _Demo:
    def __init__(self, stdout):
        self.stdout = stdout
        self.kommunen = {k.slug: k for k in Kommune.objects.all()}
        self.verbund = Verbund.objects.order_by("pk").first()
        self.neu = {"themen": 0, "initiativen": 0, "projekte": 0, "ergebnisse": 0}

    def user(self, username: str) -> Benutzer:
        user = Benutzer.objects.get(username=username)
        sharing.forget(user)
        return user

    def herausgabe(self, slug: str) -> Benutzer:
        return self.user(f"{slug}-herausgabe")

    def admin(self, slug: str) -> Benutzer:
        return self.user(f"{slug}-admin")

    # --- catalogues --------------------------------------------------------------------------

    def themen_und_initiativen(self) -> None:
        for slug, name in inhalt.THEMEN:
            _obj, created = Thema.objects.get_or_create(slug=slug, defaults={"name": name})
            self.neu["themen"] += created
        for daten in inhalt.INITIATIVEN:
            daten = dict(daten)
            slug = daten.pop("slug")
            obj = Initiative.objects.filter(slug=slug).first()
            if obj is None:
                obj = Initiative(slug=slug, **daten)
                obj.full_clean()
                obj.save()
                self.neu["initiativen"] += 1

    # --- projects ----------------------------------------------------------------------------

    def projekte(self) -> None:
        for daten in inhalt.PROJEKTE:
            kommune = self.kommunen[daten["kommune"]]
            if Projekt.objects.filter(kommune=kommune, titel=daten["titel"]).exists():
                continue
            autor = self.herausgabe(kommune.slug)
            von, bis = daten["laufzeit"]
            legal = {"nutzungsrechte": "eigene", **daten.get("legal", {})}
            projekt = Projekt(
                kommune=kommune,
                erstellt_von=autor,
                titel=daten["titel"],
                zusammenfassung=daten["zusammenfassung"],
                beschreibung=daten["beschreibung"],
                status=daten["status"],
                laufzeit_von=von,
                laufzeit_bis=bis,
                budget_eur=Decimal(daten["budget"]) if daten["budget"] else None,
                kontakt=daten["kontakt"],
                **legal,
            )
            projekt.full_clean()
            projekt.save()
            projekt.themen.set(Thema.objects.filter(slug__in=daten["themen"]))
            projekt.initiativen.set(Initiative.objects.filter(slug__in=daten["initiativen"]))
            for akteur, art, wie in daten["beteiligungen"]:
                beteiligung = Beteiligung(projekt=projekt, akteur=akteur, art=art, beschreibung=wie)
                beteiligung.full_clean()
                beteiligung.save()
            self._angelegt(projekt, autor)
            projekt_suchvektor_aktualisieren(projekt.pk)
            for an, umfang in daten["freigaben"]:
                self.freigabe(projekt, an, umfang, "erteilt")
            self.neu["projekte"] += 1

    def _angelegt(self, objekt, autor) -> None:
        services.berechtigungen_abgleichen(objekt=objekt, by=autor, anlass="angelegt")
        services.protokollieren(aktion=A.OBJEKT_ERSTELLT, akteur=autor, objekt=objekt)

    # --- results -----------------------------------------------------------------------------

    def ergebnisse(self) -> None:
        for daten in inhalt.ERGEBNISSE:
            kommune = self.kommunen[daten["kommune"]]
            if Ergebnis.objects.filter(kommune=kommune, titel=daten["titel"]).exists():
                continue
            autor = self.herausgabe(kommune.slug)
            projekt = None
            if daten["projekt"]:
                projekt = Projekt.objects.get(kommune=kommune, titel=daten["projekt"])
            legal = {"nutzungsrechte": "eigene", **daten["legal"]}
            ergebnis = Ergebnis(
                kommune=kommune,
                erstellt_von=autor,
                titel=daten["titel"],
                zusammenfassung=daten["zusammenfassung"],
                text=daten["text"],
                art=daten["art"],
                datum=daten["datum"],
                autoren=daten["autoren"],
                projekt=projekt,
                **legal,
            )
            ergebnis.full_clean()
            ergebnis.save()
            self._angelegt(ergebnis, autor)
            for name, absaetze in daten["dokumente"]:
                self.dokument(ergebnis, autor, name, absaetze)
            ergebnis_suchvektor_aktualisieren(ergebnis.pk)
            for an, umfang, ausgang, *grund in daten["freigaben"]:
                self.freigabe(ergebnis, an, umfang, ausgang, grund[0] if grund else "")
            danach = daten.get("danach", {})
            if "neues_dokument" in danach:
                # VERSION-1: a document added after sharing withholds the documents.
                name, absaetze = danach["neues_dokument"]
                self.dokument(ergebnis, autor, name, absaetze)
                services.dokumente_geaendert(objekt=ergebnis, by=autor)
                ergebnis_suchvektor_aktualisieren(ergebnis.pk)
            if "rechtliches" in danach:
                vorher = ergebnis.legal_snapshot()
                for feld, wert in danach["rechtliches"].items():
                    setattr(ergebnis, feld, wert)
                ergebnis.full_clean()
                ergebnis.save()
                services.rechtliches_geaendert(objekt=ergebnis, by=autor, vorher=vorher)
            self.neu["ergebnisse"] += 1

    def dokument(self, ergebnis: Ergebnis, autor, name: str, absaetze: list[str]) -> Dokument:
        daten = pdf_erzeugen(
            ergebnis.titel, absaetze, autor=ergebnis.autoren or str(ergebnis.kommune)
        )
        dokument = Dokument(
            ergebnis=ergebnis,
            originalname=name,
            groesse=len(daten),
            sha256=hashlib.sha256(daten).hexdigest(),
            mime="application/pdf",
            hochgeladen_von=autor,
        )
        dokument.datei.save(name, ContentFile(daten), save=False)
        dokument.save()
        services.protokollieren(
            aktion=A.DOKUMENT_HINZUGEFUEGT,
            akteur=autor,
            objekt=ergebnis,
            details={"dokument": name, "sha256": dokument.sha256},
        )
        _text_extrahieren(dokument, daten)
        return dokument

    # --- sharing -----------------------------------------------------------------------------

    def freigabe(self, objekt, an: str, umfang: str, ausgang: str, grund: str = "") -> Freigabe:
        eigentuemer = objekt.kommune.slug
        heute = timezone.localdate()
        empfaenger: dict = {}
        if an == "verbund":
            empfaenger = {
                "empfaenger_art": EmpfaengerArt.VERBUND,
                "empfaenger_verbund": self.verbund,
            }
        elif an == "oeffentlich":
            empfaenger = {"empfaenger_art": EmpfaengerArt.OEFFENTLICH}
        else:
            empfaenger = {
                "empfaenger_art": EmpfaengerArt.KOMMUNE,
                "empfaenger_kommune": self.kommunen[an],
            }
        frist = {}
        if ausgang == "abgelaufen":
            # Shared two years ago for a limited time; the expiry task ends it below.
            frist = {"gueltig_ab": heute - dt.timedelta(days=730), "gueltig_bis": heute}
        freigabe = services.freigabe_beantragen(
            objekt=objekt,
            by=self.herausgabe(eigentuemer),
            umfang=umfang,
            rechtsgrundlage=(
                "Absichtserklärung des Kooperationsbündnisses vom 16.07.2025"
                if an == "verbund"
                else "Amtshilfe und interkommunale Zusammenarbeit (Art. 4 ff. BayVwVfG)"
                if an != "oeffentlich"
                else "Art. 5 Abs. 1 BayDiG (offene Daten)"
            ),
            auflagen=(
                "Nur für Zwecke der Verwaltungsdigitalisierung; Weitergabe an Dritte nur nach "
                "Rücksprache."
                if an != "oeffentlich"
                else ""
            ),
            **empfaenger,
            **frist,
        )
        if ausgang == "beantragt":
            return freigabe
        admin = self.admin(eigentuemer)
        if ausgang == "abgelehnt":
            return services.freigabe_ablehnen(freigabe=freigabe, by=admin, begruendung=grund)
        freigabe = services.freigabe_erteilen(freigabe=freigabe, by=admin)
        if ausgang == "widerrufen":
            freigabe = services.freigabe_widerrufen(freigabe=freigabe, by=admin, grund=grund)
        elif ausgang == "abgelaufen":
            services.freigaben_ablaufen(heute=heute + dt.timedelta(days=1))
            freigabe.refresh_from_db()
        return freigabe

    def zugangsanfragen(self) -> None:
        for titel, username, begruendung, entscheidung in inhalt.ZUGANGSANFRAGEN:
            ergebnis = Ergebnis.objects.get(titel=titel)
            user = self.user(username)
            if Zugangsanfrage.objects.filter(ergebnis=ergebnis, antragsteller=user).exists():
                continue
            anfrage = services.zugangsanfrage_stellen(
                objekt=ergebnis, by=user, begruendung=begruendung
            )
            if entscheidung is not None:
                services.zugangsanfrage_entscheiden(
                    anfrage=anfrage,
                    by=self.admin(ergebnis.kommune.slug),
                    genehmigen=entscheidung,
                    begruendung="" if entscheidung else "Derzeit nicht möglich.",
                    auflagen="Nur für die eigene Ausschreibung." if entscheidung else "",
                )

    def abos_und_nachnutzungen(self) -> None:
        for username, art, slug in inhalt.ABOS:
            ziel = {
                "thema": lambda s: {"thema": Thema.objects.get(slug=s)},
                "initiative": lambda s: {"initiative": Initiative.objects.get(slug=s)},
                "kommune": lambda s: {"kommune": self.kommunen[s]},
            }[art](slug)
            Abo.objects.get_or_create(benutzer=self.user(username), **ziel)
        for titel, username, nachricht in inhalt.NACHNUTZUNGEN:
            user = self.user(username)
            projekt = Projekt.objects.get(titel=titel)
            if not sharing.can(user, "view", projekt):
                continue
            Nachnutzung.objects.get_or_create(
                projekt=projekt,
                benutzer=user,
                defaults={"kommune_id": user.kommune_id, "nachricht": nachricht},
            )


def _text_extrahieren(dokument: Dokument, daten: bytes) -> None:
    """The document's text for search; the upload pipeline's extraction when there is one."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(daten))
    dokument.text = "\n".join(page.extract_text() or "" for page in reader.pages)
    dokument.extraktion = Dokument.Extraktion.FERTIG
    dokument.extraktion_fortschritt = 100
    dokument.save(update_fields=["text", "extraktion", "extraktion_fortschritt"])


def demo_inhalte(stdout) -> None:
    """Fill the portal with the demo's projects, results, documents and sharing story."""
    demo = _Demo(stdout)
    if demo.verbund is None or not {"muenchen", "nuernberg", "augsburg"} <= set(demo.kommunen):
        raise RuntimeError("Erst die Kommunen und den Verbund anlegen (manage.py seed).")
    with transaction.atomic():
        demo.themen_und_initiativen()
        demo.projekte()
        demo.ergebnisse()
        demo.zugangsanfragen()
        demo.abos_und_nachnutzungen()
    stdout.write(
        "Demo-Inhalte: {themen} Themen, {initiativen} Initiativen, {projekte} Projekte, "
        "{ergebnisse} Ergebnisse neu angelegt; {freigaben} Freigaben insgesamt.".format(
            **demo.neu, freigaben=Freigabe.objects.count()
        )
    )
