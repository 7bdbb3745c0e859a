"""The permission matrix: every role of every kind of Kommune against every state of a Freigabe.

Each cell (state, viewer, permission) is one test id and asserts both `can()` and
`visible()`. The expectations are written out below by hand from DESIGN.md, not computed.
"""

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from common.suche import Anfrage
from kommunen import services, sharing
from kommunen.models import Benutzer, Rolle
from projekte.models import Projekt
from tests.factories import Welt, dokument_anlegen, ergebnis_anlegen, projekt_anlegen
from wissen import suche
from wissen.models import Ergebnis
from wissen.suche import ergebnis_suchvektor_aktualisieren

PERMS = ("view", "download", "change", "share")

# Who looks: the owner München with each role, the partner Augsburg with each role, Nürnberg
# (in the Verbund, never named in a Kommune Freigabe), Fürth (was in the Verbund when the
# Freigaben were granted, left afterwards), Bamberg (joined the Verbund afterwards), Würzburg
# (in the Verbund, its Kommune deactivated afterwards), Regensburg (outside), an operator
# without a Kommune, and an anonymous visitor.
BETRACHTER = (
    "muenchen-mitarbeit",
    "muenchen-herausgabe",
    "muenchen-freigabe_admin",
    "augsburg-mitarbeit",
    "augsburg-herausgabe",
    "augsburg-freigabe_admin",
    "nuernberg-mitarbeit",
    "nuernberg-herausgabe",
    "nuernberg-freigabe_admin",
    "fuerth-mitarbeit",
    "bamberg-mitarbeit",
    "wuerzburg-mitarbeit",
    "regensburg-herausgabe",
    "betrieb",
    "anonym",
)

# v = view, d = download, c = change, s = share; "-" = nothing. Columns as in BETRACHTER:
#   München (mit, her, adm) | Augsburg (mit, her, adm) | Nürnberg (mit, her, adm) |
#   Fürth | Bamberg | Würzburg | Regensburg | Betrieb | anonym
_EIGENTUEMER = ("vd", "vdcs", "vds")
_NICHTS3 = ("-", "-", "-")
_NICHTS6 = ("-",) * 6


def _verbund(recht: str) -> tuple:
    """A grant to the Verbund: Augsburg, Nürnberg and Bamberg (who joined later) hold it."""
    return (*_EIGENTUEMER, recht, recht, recht, recht, recht, recht, "-", recht, *("-",) * 4)


_NUR_EIGENTUEMER = (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS6)

ERWARTET = {
    # No Freigabe: only the owner, by role (staff sees and downloads, Herausgabe edits and
    # manages sharing, the Freigabe-Admin manages sharing).
    "ohne": _NUR_EIGENTUEMER,
    # --- Freigabe to the Kommune Augsburg ---
    "kommune-beantragt": _NUR_EIGENTUEMER,
    "kommune-metadaten": (*_EIGENTUEMER, "v", "v", "v", *_NICHTS3, *_NICHTS6),
    "kommune-vollstaendig": (*_EIGENTUEMER, "vd", "vd", "vd", *_NICHTS3, *_NICHTS6),
    # Co-editing: the partner's Herausgabe edits the description; its whole staff reads.
    "kommune-mitarbeit": (*_EIGENTUEMER, "vd", "vdc", "vd", *_NICHTS3, *_NICHTS6),
    "kommune-abgelehnt": _NUR_EIGENTUEMER,
    "kommune-widerrufen": _NUR_EIGENTUEMER,
    "kommune-abgelaufen": _NUR_EIGENTUEMER,
    # Its end date was yesterday and no periodic task has run since: ended all the same.
    "kommune-abgelaufen-unaufgeraeumt": _NUR_EIGENTUEMER,
    # Granted in advance, valid from tomorrow (the tests run a day later: valid now).
    "kommune-beginnt-spaeter": (*_EIGENTUEMER, "vd", "vd", "vd", *_NICHTS3, *_NICHTS6),
    "kommune-ausgesetzt": _NUR_EIGENTUEMER,
    # VERSION-1: a document changed after a vollstaendig Freigabe: metadata only.
    "kommune-zurueckgehalten": (*_EIGENTUEMER, "v", "v", "v", *_NICHTS3, *_NICHTS6),
    # --- Freigabe to the Verbund (München, Augsburg, Nürnberg, Bamberg; Fürth left) ---
    "verbund-beantragt": _NUR_EIGENTUEMER,
    "verbund-metadaten": _verbund("v"),
    "verbund-vollstaendig": _verbund("vd"),
    # (Co-editing goes to named Kommunen only: a Verbund or public "mitarbeit" is refused.)
    "verbund-abgelehnt": _NUR_EIGENTUEMER,
    "verbund-widerrufen": _NUR_EIGENTUEMER,
    "verbund-abgelaufen": _NUR_EIGENTUEMER,
    "verbund-abgelaufen-unaufgeraeumt": _NUR_EIGENTUEMER,
    "verbund-beginnt-spaeter": _verbund("vd"),
    "verbund-ausgesetzt": _NUR_EIGENTUEMER,
    "verbund-zurueckgehalten": _verbund("v"),
    # --- public, metadata only: everybody sees it, nobody else downloads; a user of the
    # deactivated Kommune sees nothing at all ---
    "oeffentlich-metadaten": (
        *_EIGENTUEMER,
        *("v",) * 8,
        "-",
        "v",
        "v",
        "v",
    ),
    # --- objects of Fürth, shared with the Verbund before Fürth left: VERBUND-1 suspends
    # them, so only Fürth itself still sees its own object ---
    "fuerth-verbund-ausgetreten": (
        *_NICHTS3,
        *_NICHTS3,
        *_NICHTS3,
        "vd",
        *("-",) * 5,
    ),
}

ZUSTAENDE = list(ERWARTET)

# Each result's title holds the metadata word; its document, the document word beside it.
METADATENWORT = "Matrixstudie"
DOKUMENTWORT = "Kaltluftschneisen"
DOKUMENTTEXT = f"Anhang der {METADATENWORT}: {DOKUMENTWORT} und Frischluftbahnen im Stadtgebiet."


class Matrix:
    """Builds every state once, for Projekt and Ergebnis, through the services."""

    def __init__(self, zeitreise):
        self._nr = itertools.count(1)
        self.welt = w = Welt()
        self.her = w.user("muenchen", Rolle.HERAUSGABE)
        self.admin = w.user("muenchen", Rolle.FREIGABE_ADMIN)
        self.fuerth = services.kommune_anlegen(name="Fürth", slug="fuerth", ags="09563000")
        self.bamberg = services.kommune_anlegen(name="Bamberg", slug="bamberg", ags="09461000")
        self.wuerzburg = services.kommune_anlegen(name="Würzburg", slug="wuerzburg", ags="09663000")
        services.verbund_mitglieder_setzen(
            verbund=w.verbund,
            kommunen=[w.nuernberg, w.augsburg, w.muenchen, self.fuerth, self.wuerzburg],
        )
        self.users = {f"{slug}-{rolle}": u for (slug, rolle), u in w.users.items()}
        for kommune in (self.fuerth, self.bamberg, self.wuerzburg):
            for rolle in (Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN):
                self.users[f"{kommune.slug}-{rolle}"] = services.benutzer_anlegen(
                    username=f"{kommune.slug}-{rolle}", kommune=kommune, rolle=rolle
                )
        self.users["betrieb"] = services.benutzer_anlegen(
            username="betrieb", kommune=None, rolle="", is_staff=True
        )
        self.users["anonym"] = AnonymousUser()

        heute = timezone.localdate()
        self.objekte = self._zustaende(self._projekt, heute)
        self.ergebnisse = self._zustaende(self._ergebnis, heute)

        # Expiry by the periodic job: only the Freigaben ending today are past tomorrow.
        assert services.freigaben_ablaufen(heute=heute + dt.timedelta(days=1)) == 4
        # Granted after the job ran, ending today: nobody tidies them up.
        for zustaende, anlegen in (
            (self.objekte, self._projekt),
            (self.ergebnisse, self._ergebnis),
        ):
            for art in ("kommune", "verbund"):
                zustaende[f"{art}-abgelaufen-unaufgeraeumt"] = p = anlegen()
                self._erteilen(self._beantragen(p, art, "vollstaendig", gueltig_bis=heute))
        # Fürth leaves after everything was granted, Bamberg joins, Würzburg is deactivated.
        services.verbund_mitglieder_setzen(
            verbund=w.verbund,
            kommunen=[w.nuernberg, w.augsburg, w.muenchen, self.bamberg, self.wuerzburg],
        )
        self.wuerzburg.aktiv = False
        self.wuerzburg.save()
        self.ids = [p.pk for p in self.objekte.values()]
        self.ergebnis_ids = [e.pk for e in self.ergebnisse.values()]
        assert set(self.objekte) == set(self.ergebnisse) == set(ERWARTET)
        # The tests read on the next day, with no periodic task run in between.
        zeitreise(dt.timedelta(days=1))

    def _zustaende(self, anlegen, heute) -> dict:
        objekte = {"ohne": anlegen()}
        for art in ("kommune", "verbund"):
            objekte[f"{art}-beantragt"] = p = anlegen()
            self._beantragen(p, art, "vollstaendig")
            for umfang in ("metadaten", "vollstaendig", "mitarbeit")[
                : 3 if art == "kommune" else 2
            ]:
                objekte[f"{art}-{umfang}"] = p = anlegen()
                self._erteilen(self._beantragen(p, art, umfang))
            objekte[f"{art}-abgelehnt"] = p = anlegen()
            services.freigabe_ablehnen(
                freigabe=self._beantragen(p, art, "vollstaendig"),
                by=self.admin,
                begruendung="Rechte noch nicht geklärt.",
            )
            objekte[f"{art}-widerrufen"] = p = anlegen()
            f = self._erteilen(self._beantragen(p, art, "vollstaendig"))
            services.freigabe_widerrufen(freigabe=f, by=self.admin, grund="Projekt beendet.")
            objekte[f"{art}-abgelaufen"] = p = anlegen()
            self._erteilen(self._beantragen(p, art, "vollstaendig", gueltig_bis=heute))
            objekte[f"{art}-beginnt-spaeter"] = p = anlegen()
            self._erteilen(
                self._beantragen(p, art, "vollstaendig", gueltig_ab=heute + dt.timedelta(days=1))
            )
            objekte[f"{art}-ausgesetzt"] = p = anlegen()
            self._erteilen(self._beantragen(p, art, "vollstaendig"))
            vorher = p.legal_snapshot()
            p.nutzungsrechte = "ungeklaert"
            p.save()
            assert services.rechtliches_geaendert(objekt=p, by=self.her, vorher=vorher)
            objekte[f"{art}-zurueckgehalten"] = p = anlegen()
            self._erteilen(self._beantragen(p, art, "vollstaendig"))
            assert services.dokumente_geaendert(objekt=p, by=self.her)
        objekte["oeffentlich-metadaten"] = p = anlegen(
            einstufung="offen", lizenz="CC-BY-4.0", quellenvermerk="Landeshauptstadt München"
        )
        self._erteilen(self._beantragen(p, "oeffentlich", "metadaten"))
        her_fuerth = self.users["fuerth-herausgabe"]
        objekte["fuerth-verbund-ausgetreten"] = p = anlegen(kommune=self.fuerth, by=her_fuerth)
        self._erteilen(
            self._beantragen(p, "verbund", "vollstaendig", by=her_fuerth),
            by=self.users["fuerth-freigabe_admin"],
        )
        return objekte

    def _projekt(self, kommune=None, by=None, **legal):
        return projekt_anlegen(kommune or self.welt.muenchen, by or self.her, **legal)

    def _ergebnis(self, kommune=None, by=None, **legal):
        """A result whose title holds METADATENWORT and whose one document DOKUMENTWORT."""
        e = ergebnis_anlegen(
            kommune or self.welt.muenchen,
            by or self.her,
            titel=f"{METADATENWORT} {next(self._nr)}",
            **legal,
        )
        dokument_anlegen(e, by or self.her, text=DOKUMENTTEXT)
        ergebnis_suchvektor_aktualisieren(e.pk)
        e.refresh_from_db()  # a later save() of this copy keeps the stored vectors
        return e

    def _beantragen(self, p, art, umfang, by=None, **kw):
        return services.freigabe_beantragen(
            objekt=p,
            by=by or self.her,
            empfaenger_art=art,
            empfaenger_kommune=self.welt.augsburg if art == "kommune" else None,
            empfaenger_verbund=self.welt.verbund if art == "verbund" else None,
            umfang=umfang,
            **kw,
        )

    def _erteilen(self, f, by=None):
        return services.freigabe_erteilen(freigabe=f, by=by or self.admin)

    def user(self, name):
        user = self.users[name]
        if isinstance(user, Benutzer):
            sharing.forget(user)
        return user


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end; the
    clock then stands one day later for all its tests."""
    from django.utils import timezone as tz

    echt = tz.now
    versatz = [dt.timedelta()]

    def zeitreise(um):
        versatz[0] += um

    with (
        pytest.MonkeyPatch.context() as mp,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        mp.setattr(tz, "now", lambda: echt() + versatz[0])
        sharing.clear_caches()
        yield Matrix(zeitreise)
        transaction.set_rollback(True)
    sharing.clear_caches()


def test_tabelle_vollstaendig():
    assert all(len(zeile) == len(BETRACHTER) for zeile in ERWARTET.values())
    assert all(set(z) <= set("vdcs-") for zeile in ERWARTET.values() for z in zeile)


def _rechte(erwartet: str) -> str:
    return "".join(p[0] for p in PERMS if p[0] in erwartet) or "-"


@pytest.mark.parametrize("art", ["projekt", "ergebnis"])
@pytest.mark.parametrize("betrachter", BETRACHTER)
@pytest.mark.parametrize("zustand", ZUSTAENDE)
def test_matrix(matrix, db, zustand, betrachter, art):
    """can() and visible() give, for each of the four permissions, what the table says."""
    objekte, ids, model = (
        (matrix.objekte, matrix.ids, Projekt)
        if art == "projekt"
        else (matrix.ergebnisse, matrix.ergebnis_ids, Ergebnis)
    )
    objekt = objekte[zustand]
    user = matrix.user(betrachter)
    erwartet = _rechte(ERWARTET[zustand][BETRACHTER.index(betrachter)])
    assert _rechte("".join(p[0] for p in PERMS if sharing.can(user, p, objekt))) == erwartet
    sichtbar = "".join(
        p[0]
        for p in PERMS
        if objekt.pk
        in set(
            sharing.visible(user, model.objects.filter(pk__in=ids), p).values_list("pk", flat=True)
        )
    )
    assert _rechte(sichtbar) == erwartet


@pytest.mark.parametrize("betrachter", BETRACHTER)
@pytest.mark.parametrize("zustand", ZUSTAENDE)
def test_matrix_suche_und_auszug(matrix, db, zustand, betrachter):
    """Search finds a result by its metadata whoever may see it, by its document's words only
    who may download it, and its excerpt quotes the document only to them."""
    erwartet = ERWARTET[zustand][BETRACHTER.index(betrachter)]
    objekt = matrix.ergebnisse[zustand]
    user = matrix.user(betrachter)

    def gefunden(wort: str) -> bool:
        zeilen = suche.treffer(
            user=user, anfrage=Anfrage.aus(wort), filter={}, typ="ergebnisse"
        ).filter(id=objekt.pk)
        return zeilen.exists()

    assert gefunden(METADATENWORT) is ("v" in erwartet)
    assert gefunden(DOKUMENTWORT) is ("d" in erwartet)
    if "v" in erwartet:
        anfrage = Anfrage.aus(METADATENWORT)
        zeile = {"typ": "ergebnis", "id": objekt.pk, "rang": 0.0}
        (treffer,) = suche.seite_laden(user=user, anfrage=anfrage, zeilen=[zeile])
        assert (DOKUMENTWORT in treffer.auszug) is ("d" in erwartet), treffer.auszug
