"""Demo content for `seed --demo`: realistic projects and results per city, shared in every way.

Everything goes through the real services, so permissions, Protokoll, notifications and
search vectors are the ones the portal would produce. Idempotent: objects are found by their
natural keys (title and Kommune, slug); an object's story (documents, Freigaben, requests) is
only played when the object is new, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kommunen import services, sharing
from kommunen.models import (
    Benutzer,
    EmpfaengerArt,
    Freigabe,
    Kommune,
    Verbund,
    Zugangsanfrage,
)
from kommunen.rules import RegelVerstoss
from projekte import services as projekt_services
from projekte.models import Abo, Initiative, Nachnutzung, Projekt, Thema
from wissen import services as wissen_services
from wissen.models import Dokument, Ergebnis

from . import demo_inhalt as inhalt
from .demo_pdf import pdf_erzeugen


def _tage(felder: dict) -> dict:
    """Dates given as a timedelta count from today (a deletion date near or past on any day)."""
    heute = timezone.localdate()
    return {k: heute + v if isinstance(v, dt.timedelta) else v for k, v in felder.items()}


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
            _obj, created = Thema.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": inhalt.NAMEN_EN.get(slug, "")}
            )
            self.neu["themen"] += created
        for daten in inhalt.INITIATIVEN:
            daten = dict(daten)
            slug = daten.pop("slug")
            obj = Initiative.objects.filter(slug=slug).first()
            if obj is None:
                obj = Initiative(slug=slug, name_en=inhalt.NAMEN_EN.get(slug, ""), **daten)
                obj.full_clean()
                obj.save()
                self.neu["initiativen"] += 1
        # Catalogues seeded before the English names existed get them, nothing else changes.
        for model in (Thema, Initiative):
            for obj in model.objects.filter(name_en="", slug__in=inhalt.NAMEN_EN):
                model.objects.filter(pk=obj.pk).update(name_en=inhalt.NAMEN_EN[obj.slug])

    # --- projects ----------------------------------------------------------------------------

    def projekte(self) -> None:
        for daten in inhalt.PROJEKTE:
            kommune = self.kommunen[daten["kommune"]]
            if Projekt.objects.filter(kommune=kommune, titel=daten["titel"]).exists():
                continue
            autor = self.herausgabe(kommune.slug)
            von, bis = daten["laufzeit"]
            legal = {"nutzungsrechte": "eigene", **_tage(daten.get("legal", {}))}
            rahmenvertrag, abrufberechtigt = daten.get("rahmenvertrag", ("", []))
            projekt = projekt_services.projekt_anlegen(
                by=autor,
                themen=Thema.objects.filter(slug__in=daten["themen"]),
                initiativen=Initiative.objects.filter(slug__in=daten["initiativen"]),
                beteiligungen=[
                    {"akteur": akteur, "art": art, "beschreibung": wie}
                    for akteur, art, wie in daten["beteiligungen"]
                ],
                titel=daten["titel"],
                zusammenfassung=daten["zusammenfassung"],
                beschreibung=daten["beschreibung"],
                status=daten["status"],
                laufzeit_von=von,
                laufzeit_bis=bis,
                budget_eur=Decimal(daten["budget"]) if daten["budget"] else None,
                kontakt=daten["kontakt"],
                rahmenvertrag=rahmenvertrag,
                rahmenvertrag_kommunen=[self.kommunen[slug] for slug in abrufberechtigt],
                **legal,
            )
            for an, umfang in daten["freigaben"]:
                self.freigabe(projekt, an, umfang, "erteilt")
            self.neu["projekte"] += 1

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
            legal = {"nutzungsrechte": "eigene", **_tage(daten["legal"])}
            ergebnis = wissen_services.ergebnis_anlegen(
                by=autor,
                titel=daten["titel"],
                zusammenfassung=daten["zusammenfassung"],
                text=daten["text"],
                art=daten["art"],
                datum=daten["datum"],
                autoren=daten["autoren"],
                projekt=projekt,
                **legal,
            )
            for name, absaetze in daten["dokumente"]:
                self.dokument(ergebnis, autor, name, absaetze)
            for an, umfang, ausgang, *grund in daten["freigaben"]:
                self.freigabe(
                    ergebnis,
                    an,
                    umfang,
                    ausgang,
                    grund[0] if grund else "",
                    seit=daten.get("freigaben_seit"),
                )
            danach = daten.get("danach", {})
            if "neues_dokument" in danach:
                # VERSION-1: a document added after sharing withholds the documents.
                name, absaetze = danach["neues_dokument"]
                self.dokument(ergebnis, autor, name, absaetze)
            if "rechtliches" in danach:
                # The re-check suspends Freigaben that no longer pass (here GREMIUM-1).
                wissen_services.ergebnis_aendern(
                    ergebnis=ergebnis, by=autor, **_tage(danach["rechtliches"])
                )
            self.neu["ergebnisse"] += 1

    def dokument(self, ergebnis: Ergebnis, autor, name: str, absaetze: list[str]) -> Dokument:
        """Upload a generated PDF as a person would; extract its text right away."""
        daten = pdf_erzeugen(
            ergebnis.titel, absaetze, autor=ergebnis.autoren or str(ergebnis.kommune)
        )
        datei = SimpleUploadedFile(name, daten, content_type="application/pdf")
        dokument = wissen_services.dokument_hochladen(ergebnis=ergebnis, datei=datei, by=autor)
        # The upload queues extraction after commit; the demo wants the text (and the search
        # vector) at once. The task, when it runs, finds the document done and leaves it.
        wissen_services.dokument_text_extrahieren(dokument_id=dokument.pk)
        return dokument

    # --- sharing -----------------------------------------------------------------------------

    def freigabe(
        self,
        objekt,
        an: str,
        umfang: str,
        ausgang: str,
        grund: str = "",
        seit: dt.timedelta | None = None,
    ) -> Freigabe:
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
        if objekt.ist_personenbezogen:
            # DSGVO-3: the transfer's own basis and the recipient's purpose (the same here).
            empfaenger["uebermittlungsgrundlage"] = "aufgabe"
            empfaenger["empfaenger_zweck"] = objekt.zweck
        frist = {}
        if seit is not None:
            # Shared some time ago (a negative timedelta), still running.
            frist = {"gueltig_ab": heute + seit}
        if ausgang == "abgelaufen":
            # Shared two years ago for a limited time; the expiry task ends it below.
            frist = {"gueltig_ab": heute - dt.timedelta(days=730), "gueltig_bis": heute}
        if ausgang == "verweigert":
            # The rules refuse this share already at the proposal: the demo shows an object
            # of the regime and that it stays where the law keeps it.
            try:
                with transaction.atomic():
                    services.freigabe_beantragen(
                        objekt=objekt, by=self.herausgabe(eigentuemer), umfang=umfang, **empfaenger
                    )
            except RegelVerstoss:
                return None
            raise RuntimeError(
                f"Die Regeln hätten „{objekt}“ an {an} ({umfang}) verweigern müssen."
            )
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
        for titel, username, nachricht, abrufen, einsparung in inhalt.NACHNUTZUNGEN:
            user = self.user(username)
            projekt = Projekt.objects.get(titel=titel)
            if not sharing.can(user, "view", projekt):
                continue
            if Nachnutzung.objects.filter(projekt=projekt, benutzer=user).exists():
                continue
            # Through the service: it checks that the framework agreement names the Kommune
            # and tells the owner, as a declaration in the portal would.
            projekt_services.nachnutzung_erklaeren(
                projekt=projekt,
                by=user,
                nachricht=nachricht,
                rahmenvertrag_abrufen=abrufen,
                einsparung_eur=Decimal(einsparung) if einsparung else None,
            )


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
        # Owners hear of deletion dates near or past (LOESCH-1), as the periodic task would.
        services.loeschdatum_erinnern()
    stdout.write(
        "Demo-Inhalte: {themen} Themen, {initiativen} Initiativen, {projekte} Projekte, "
        "{ergebnisse} Ergebnisse neu angelegt; {freigaben} Freigaben insgesamt.".format(
            **demo.neu, freigaben=Freigabe.objects.count()
        )
    )
