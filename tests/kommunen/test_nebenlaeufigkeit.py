"""Two real database connections at once: decisions on one Freigabe, periodic jobs run twice."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from kommunen import rules, services, sharing
from kommunen.models import Benachrichtigung, Freigabe, Protokoll, Rolle
from kommunen.services import freigaben as freigaben_services
from projekte import services as projekt_services
from projekte.models import ProjektGroupObjectPermission
from tests.factories import projekt_anlegen

pytestmark = pytest.mark.django_db(transaction=True)

A = Protokoll.Aktion


def gleichzeitig(*aufrufe):
    """Run the calls in threads (one DB connection each) released together by a barrier."""
    schranke = threading.Barrier(len(aufrufe))
    ergebnisse: list = [None] * len(aufrufe)

    def lauf(i, aufruf):
        try:
            schranke.wait(timeout=10)
            ergebnisse[i] = ("ok", aufruf())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            ergebnisse[i] = ("fehler", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=lauf, args=(i, a)) for i, a in enumerate(aufrufe)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return ergebnisse


@pytest.fixture
def lage(welt, monkeypatch):
    # Widen the race: each decision pauses after reading the Freigabe, so without the row
    # lock both sides would see "beantragt" and both would win.
    laden = freigaben_services.objekt_laden

    def langsam(f):
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.2)
        return laden(f)

    monkeypatch.setattr(freigaben_services, "objekt_laden", langsam)
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    admin1 = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    admin2 = services.benutzer_anlegen(
        username="muenchen-admin2", kommune=welt.muenchen, rolle=Rolle.FREIGABE_ADMIN
    )
    return welt, her, admin1, admin2


def _beantragt(welt, her):
    p = projekt_anlegen(welt.muenchen, her)
    f = services.freigabe_beantragen(
        objekt=p,
        by=her,
        empfaenger_art="kommune",
        empfaenger_kommune=welt.augsburg,
        umfang="vollstaendig",
    )
    return p, f


def _zeilen_augsburg(welt, p):
    return ProjektGroupObjectPermission.objects.filter(
        content_object=p, group=welt.augsburg.gruppe_mitglieder
    ).count()


def _protokoll(f, *aktionen):
    return Protokoll.objects.filter(freigabe_id_ref=f.pk, aktion__in=aktionen).count()


@pytest.mark.parametrize("runde", range(3))
def test_erteilen_gegen_ablehnen(lage, runde):
    welt, her, admin1, admin2 = lage
    p, f = _beantragt(welt, her)
    ergebnisse = gleichzeitig(
        lambda: services.freigabe_erteilen(freigabe=f, by=admin1),
        lambda: services.freigabe_ablehnen(freigabe=f, by=admin2, begruendung="Nein."),
    )
    arten = sorted(e[0] for e in ergebnisse)
    assert arten == ["fehler", "ok"], ergebnisse
    verlierer = next(e[1] for e in ergebnisse if e[0] == "fehler")
    assert isinstance(verlierer, ValidationError)
    assert "bereits" in " ".join(verlierer.messages)

    f.refresh_from_db()
    gewonnen_hat_erteilen = ergebnisse[0][0] == "ok"
    assert f.status == ("erteilt" if gewonnen_hat_erteilen else "abgelehnt")
    assert f.entschieden_von_id == (admin1.pk if gewonnen_hat_erteilen else admin2.pk)
    assert _protokoll(f, A.FREIGABE_ERTEILT) == int(gewonnen_hat_erteilen)
    assert _protokoll(f, A.FREIGABE_ABGELEHNT) == int(not gewonnen_hat_erteilen)
    assert _zeilen_augsburg(welt, p) == (2 if gewonnen_hat_erteilen else 0)
    assert sharing.can(welt.user("augsburg"), "download", p) is gewonnen_hat_erteilen


@pytest.mark.parametrize("runde", range(3))
def test_erteilen_gegen_erteilen(lage, runde):
    welt, her, admin1, admin2 = lage
    p, f = _beantragt(welt, her)
    ergebnisse = gleichzeitig(
        lambda: services.freigabe_erteilen(freigabe=f, by=admin1),
        lambda: services.freigabe_erteilen(freigabe=f, by=admin2),
    )
    assert sorted(e[0] for e in ergebnisse) == ["fehler", "ok"], ergebnisse
    sieger = admin1 if ergebnisse[0][0] == "ok" else admin2
    f.refresh_from_db()
    assert f.status == "erteilt" and f.entschieden_von_id == sieger.pk
    assert _protokoll(f, A.FREIGABE_ERTEILT) == 1
    assert (
        Protokoll.objects.filter(
            aktion=A.BERECHTIGUNG, object_id=p.pk, content_type__model="projekt"
        ).count()
        == 1  # granted once
    )
    assert _zeilen_augsburg(welt, p) == 2


def test_widerrufen_gegen_erteilen_der_wiederfreigabe(lage):
    """Revoking while a second admin re-approves withheld documents: revocation is final."""
    welt, her, admin1, admin2 = lage
    p, f = _beantragt(welt, her)
    services.freigabe_erteilen(freigabe=f, by=admin1)
    services.dokumente_geaendert(objekt=p, by=her)
    ergebnisse = gleichzeitig(
        lambda: services.freigabe_widerrufen(freigabe=f, by=admin1),
        lambda: services.freigabe_erteilen(freigabe=f, by=admin2),
    )
    f.refresh_from_db()
    if ergebnisse[0][0] == "ok" and ergebnisse[1][0] == "ok":
        # Re-approval came first, then the revocation: the end state is revoked.
        assert _protokoll(f, A.FREIGABE_ERTEILT) == 2
    else:
        assert ergebnisse[0][0] == "ok"
    assert f.status == "widerrufen"
    assert _zeilen_augsburg(welt, p) == 0


def test_ablaufen_zweimal_gleichzeitig(lage):
    welt, her, admin1, _admin2 = lage
    heute = timezone.localdate()
    faellig = []
    for _ in range(4):
        p, f = _beantragt(welt, her)
        services.freigabe_erteilen(freigabe=f, by=admin1)
        faellig.append((p, f))
    Freigabe.objects.filter(pk__in=[f.pk for _p, f in faellig]).update(
        gueltig_ab=heute - dt.timedelta(days=10), gueltig_bis=heute - dt.timedelta(days=1)
    )
    ergebnisse = gleichzeitig(services.freigaben_ablaufen, services.freigaben_ablaufen)
    assert [e[0] for e in ergebnisse] == ["ok", "ok"], ergebnisse
    assert ergebnisse[0][1] + ergebnisse[1][1] == 4
    for p, f in faellig:
        f.refresh_from_db()
        assert f.status == "abgelaufen"
        assert _protokoll(f, A.FREIGABE_ABGELAUFEN) == 1
        assert _zeilen_augsburg(welt, p) == 0
    assert services.freigaben_ablaufen() == 0


def test_erinnern_zweimal_gleichzeitig(lage):
    welt, her, admin1, admin2 = lage
    heute = timezone.localdate()
    p, f = _beantragt(welt, her)
    services.freigabe_erteilen(freigabe=f, by=admin1)
    Freigabe.objects.filter(pk=f.pk).update(gueltig_bis=heute + dt.timedelta(days=10))
    ergebnisse = gleichzeitig(services.ablauf_erinnern, services.ablauf_erinnern)
    assert sorted(e[1] for e in ergebnisse) == [0, 1], ergebnisse
    assert _protokoll(f, A.FREIGABE_ERINNERT) == 1
    erinnerungen = Benachrichtigung.objects.filter(ereignis="ablauf_erinnerung")
    assert sorted(erinnerungen.values_list("empfaenger_id", flat=True)) == sorted(
        [admin1.pk, admin2.pk]
    )


# --- one lock order: the object's row first, then its Freigaben ----------------------------


def _spaeter(aufruf, sekunden=0.1):
    def lauf():
        time.sleep(sekunden)
        return aufruf()

    return lauf


def _kein_unrechtmaessiges_recht(p):
    """Every Freigabe that stands passes the rules against the object as it is stored now."""
    p.refresh_from_db()
    for f in Freigabe.objects.filter(object_id=p.pk, status="erteilt"):
        assert not rules.sperrende(rules.check(f, p, f.umstaende(p))), f
    assert sharing.sync_permissions(p) == (0, 0)


@pytest.mark.parametrize("runde", range(3))
def test_erteilen_gegen_personenbezug_teilt_nichts_unrechtmaessiges(welt, monkeypatch, runde):
    """An edit that declares personal data races a grant to the Verbund (DSGVO-1 forbids it):
    whichever comes first, no grant that breaks the law survives, and nobody sees a 500."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    p = projekt_anlegen(welt.muenchen, her)
    f = services.freigabe_beantragen(
        objekt=p,
        by=her,
        empfaenger_art="verbund",
        empfaenger_verbund=welt.verbund,
        umfang="metadaten",
    )
    pruefen = freigaben_services.pruefen_oder_abbrechen

    def langsam(*args, **kwargs):
        ergebnis = pruefen(*args, **kwargs)
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.4)  # the edit runs while the grant holds its verdict
        return ergebnis

    monkeypatch.setattr(freigaben_services, "pruefen_oder_abbrechen", langsam)
    ergebnisse = gleichzeitig(
        lambda: services.freigabe_erteilen(freigabe=f, by=admin),
        _spaeter(
            lambda: projekt_services.projekt_aendern(
                projekt=p,
                by=her,
                personenbezug="personenbezogen",
                rechtsgrundlage="Art. 6 Abs. 1 lit. e DSGVO",
                zweck="Auswertung",
                loeschdatum=timezone.localdate() + dt.timedelta(days=365),
                einwilligung="keine",
            )
        ),
    )
    for art, wert in ergebnisse:
        assert art == "ok" or isinstance(wert, ValidationError), ergebnisse
    assert ergebnisse[1][0] == "ok", ergebnisse  # the edit always goes through
    f.refresh_from_db()
    assert f.status in ("ausgesetzt", "beantragt"), f.status
    _kein_unrechtmaessiges_recht(p)
    assert not sharing.can(welt.user("nuernberg"), "view", p)


@pytest.mark.parametrize("runde", range(3))
def test_wiederfreigabe_gegen_rechtliche_aenderung_ohne_deadlock(lage, runde):
    """Re-approving held-back documents while the owner marks the object non-public (GREMIUM-1):
    the grant used to lock the Freigabe before the object, the edit the other way round."""
    welt, her, admin1, _admin2 = lage
    p, f = _beantragt(welt, her)
    services.freigabe_erteilen(freigabe=f, by=admin1)
    services.dokumente_geaendert(objekt=p, by=her)
    ergebnisse = gleichzeitig(
        lambda: services.freigabe_erteilen(freigabe=f, by=admin1),
        _spaeter(
            lambda: projekt_services.projekt_aendern(
                projekt=p, by=her, gremienstatus="nichtoeffentlich"
            )
        ),
    )
    for art, wert in ergebnisse:
        assert art == "ok" or isinstance(wert, ValidationError), ergebnisse
    assert ergebnisse[1][0] == "ok", ergebnisse
    f.refresh_from_db()
    assert f.status == "ausgesetzt"
    _kein_unrechtmaessiges_recht(p)
    assert _zeilen_augsburg(welt, p) == 0


def test_zwei_genehmigte_anfragen_ergeben_eine_freigabe(lage):
    """Two colleagues of Augsburg ask for the same documents; two admins approve at once."""
    welt, her, admin1, admin2 = lage
    p = projekt_anlegen(welt.muenchen, her)
    services.freigabe_erteilen(
        freigabe=services.freigabe_beantragen(
            objekt=p,
            by=her,
            empfaenger_art="kommune",
            empfaenger_kommune=welt.augsburg,
            umfang="metadaten",
        ),
        by=admin1,
    )
    kollegin = services.benutzer_anlegen(
        username="augsburg-kollegin", kommune=welt.augsburg, rolle=Rolle.MITARBEIT
    )
    anfragen = [
        services.zugangsanfrage_stellen(objekt=p, by=u, begruendung="Für unser Projekt.")
        for u in (welt.user("augsburg"), kollegin)
    ]
    ergebnisse = gleichzeitig(
        lambda: services.zugangsanfrage_entscheiden(
            anfrage=anfragen[0], by=admin1, genehmigen=True
        ),
        lambda: services.zugangsanfrage_entscheiden(
            anfrage=anfragen[1], by=admin2, genehmigen=True
        ),
    )
    assert sorted(e[0] for e in ergebnisse) == ["fehler", "ok"], ergebnisse
    fehler = next(e[1] for e in ergebnisse if e[0] == "fehler")
    assert isinstance(fehler, ValidationError)
    assert "schon Freigabe Nr." in " ".join(fehler.messages)
    offen = Freigabe.objects.filter(
        object_id=p.pk, empfaenger_kommune=welt.augsburg, umfang="vollstaendig", status="erteilt"
    )
    assert offen.count() == 1
    services.freigabe_widerrufen(freigabe=offen.get(), by=admin1, grund="Projekt beendet.")
    assert not sharing.can(welt.user("augsburg"), "download", p)
    assert not sharing.can(kollegin, "download", p)


def test_loeschdatum_erinnern_zweimal_gleichzeitig(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, loeschdatum=timezone.localdate() + dt.timedelta(days=5))
    ergebnisse = gleichzeitig(services.loeschdatum_erinnern, services.loeschdatum_erinnern)
    assert sorted(e[1] for e in ergebnisse) == [0, 1], ergebnisse
    assert Protokoll.objects.filter(aktion=A.LOESCHDATUM_ERINNERT, object_id=p.pk).count() == 1
    erinnerungen = Benachrichtigung.objects.filter(ereignis="loeschdatum_erinnerung")
    assert erinnerungen.count() == 2  # Herausgabe and Freigabe admin, once each
