"""The permission matrix: every role of every kind of Kommune against every state of a Freigabe.

Each cell (state, viewer, permission) is one test id and asserts both `can()` and
`visible()`. The expectations are written out below by hand from DESIGN.md, not computed.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from kommunen import services, sharing
from kommunen.models import Benutzer, Rolle
from projekte.models import Projekt
from tests.conftest import Welt, ergebnis_anlegen, projekt_anlegen
from wissen.models import Ergebnis

PERMS = ("view", "download", "change", "share")

# Who looks: the owner München with each role, the partner Augsburg with each role, Nürnberg
# (in the Verbund, never named in a Kommune Freigabe), Fürth (was in the Verbund when the
# Freigaben were granted, left afterwards), Regensburg (outside), an operator without a
# Kommune, and an anonymous visitor.
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
    "regensburg-herausgabe",
    "betrieb",
    "anonym",
)

# v = view, d = download, c = change, s = share; "-" = nothing. Columns as in BETRACHTER:
#   München (mit, her, adm) | Augsburg (mit, her, adm) | Nürnberg (mit, her, adm) |
#   Fürth | Regensburg | Betrieb | anonym
_EIGENTUEMER = ("vd", "vdcs", "vds")
_NICHTS3 = ("-", "-", "-")
_NICHTS4 = ("-", "-", "-", "-")

ERWARTET = {
    # No Freigabe: only the owner, by role (staff sees and downloads, Herausgabe edits and
    # manages sharing, the Freigabe-Admin manages sharing).
    "ohne": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    # --- Freigabe to the Kommune Augsburg ---
    "kommune-beantragt": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "kommune-metadaten": (*_EIGENTUEMER, "v", "v", "v", *_NICHTS3, *_NICHTS4),
    "kommune-vollstaendig": (*_EIGENTUEMER, "vd", "vd", "vd", *_NICHTS3, *_NICHTS4),
    "kommune-mitarbeit": (*_EIGENTUEMER, "vdc", "vdc", "vdc", *_NICHTS3, *_NICHTS4),
    "kommune-abgelehnt": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "kommune-widerrufen": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "kommune-abgelaufen": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "kommune-ausgesetzt": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    # VERSION-1: a document changed after a vollstaendig Freigabe: metadata only.
    "kommune-zurueckgehalten": (*_EIGENTUEMER, "v", "v", "v", *_NICHTS3, *_NICHTS4),
    # --- Freigabe to the Verbund (München, Augsburg, Nürnberg; Fürth left) ---
    "verbund-beantragt": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "verbund-metadaten": (*_EIGENTUEMER, "v", "v", "v", "v", "v", "v", *_NICHTS4),
    "verbund-vollstaendig": (*_EIGENTUEMER, "vd", "vd", "vd", "vd", "vd", "vd", *_NICHTS4),
    # (Co-editing goes to named Kommunen only: a Verbund or public "mitarbeit" is refused.)
    "verbund-abgelehnt": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "verbund-widerrufen": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "verbund-abgelaufen": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "verbund-ausgesetzt": (*_EIGENTUEMER, *_NICHTS3, *_NICHTS3, *_NICHTS4),
    "verbund-zurueckgehalten": (*_EIGENTUEMER, "v", "v", "v", "v", "v", "v", *_NICHTS4),
    # --- public, metadata only: everybody sees it, nobody else downloads ---
    "oeffentlich-metadaten": (*_EIGENTUEMER, "v", "v", "v", "v", "v", "v", "v", "v", "v", "v"),
}


class Matrix:
    """Builds every state once, through the services, as a city would reach it."""

    def __init__(self):
        self.welt = w = Welt()
        self.her = w.user("muenchen", Rolle.HERAUSGABE)
        self.admin = w.user("muenchen", Rolle.FREIGABE_ADMIN)
        self.fuerth = services.kommune_anlegen(name="Fürth", slug="fuerth", ags="09563000")
        services.verbund_mitglieder_setzen(
            verbund=w.verbund, kommunen=[w.nuernberg, w.augsburg, w.muenchen, self.fuerth]
        )
        self.users = {f"{slug}-{rolle}": u for (slug, rolle), u in w.users.items()}
        self.users["fuerth-mitarbeit"] = services.benutzer_anlegen(
            username="fuerth-mitarbeit", kommune=self.fuerth, rolle=Rolle.MITARBEIT
        )
        self.users["betrieb"] = services.benutzer_anlegen(
            username="betrieb", kommune=None, rolle="", is_staff=True
        )
        self.users["anonym"] = AnonymousUser()

        self.objekte = {"ohne": self._projekt()}
        heute = timezone.localdate()
        for art in ("kommune", "verbund"):
            self.objekte[f"{art}-beantragt"] = p = self._projekt()
            self._beantragen(p, art, "vollstaendig")
            for umfang in ("metadaten", "vollstaendig", "mitarbeit")[
                : 3 if art == "kommune" else 2
            ]:
                self.objekte[f"{art}-{umfang}"] = p = self._projekt()
                self._erteilen(self._beantragen(p, art, umfang))
            self.objekte[f"{art}-abgelehnt"] = p = self._projekt()
            services.freigabe_ablehnen(
                freigabe=self._beantragen(p, art, "vollstaendig"),
                by=self.admin,
                begruendung="Rechte noch nicht geklärt.",
            )
            self.objekte[f"{art}-widerrufen"] = p = self._projekt()
            f = self._erteilen(self._beantragen(p, art, "vollstaendig"))
            services.freigabe_widerrufen(freigabe=f, by=self.admin, grund="Projekt beendet.")
            self.objekte[f"{art}-abgelaufen"] = p = self._projekt()
            self._erteilen(self._beantragen(p, art, "vollstaendig", gueltig_bis=heute))
            self.objekte[f"{art}-ausgesetzt"] = p = self._projekt()
            self._erteilen(self._beantragen(p, art, "vollstaendig"))
            vorher = p.legal_snapshot()
            p.nutzungsrechte = "ungeklaert"
            p.save()
            assert services.rechtliches_geaendert(objekt=p, by=self.her, vorher=vorher)
            self.objekte[f"{art}-zurueckgehalten"] = p = self._projekt()
            self._erteilen(self._beantragen(p, art, "vollstaendig"))
            assert services.dokumente_geaendert(objekt=p, by=self.her)
        self.objekte["oeffentlich-metadaten"] = p = self._projekt(
            einstufung="offen", lizenz="CC0-1.0"
        )
        self._erteilen(self._beantragen(p, "oeffentlich", "metadaten"))

        # The same policy for study results: a few states again, on Ergebnis.
        self.ergebnisse = {"ohne": self._ergebnis()}
        for art, umfang in (("kommune", "vollstaendig"), ("kommune", "mitarbeit")):
            self.ergebnisse[f"{art}-{umfang}"] = e = self._ergebnis()
            self._erteilen(self._beantragen(e, art, umfang))
        self.ergebnisse["verbund-zurueckgehalten"] = e = self._ergebnis()
        self._erteilen(self._beantragen(e, "verbund", "vollstaendig"))
        services.dokumente_geaendert(objekt=e, by=self.her)
        self.ergebnisse["oeffentlich-metadaten"] = e = self._ergebnis(
            einstufung="offen", lizenz="CC-BY-4.0", quellenvermerk="Landeshauptstadt München"
        )
        self._erteilen(self._beantragen(e, "oeffentlich", "metadaten"))

        # Expiry by the periodic job: only the Freigaben ending today are past tomorrow.
        assert services.freigaben_ablaufen(heute=heute + dt.timedelta(days=1)) == 2
        # Fürth leaves after everything was granted.
        services.verbund_mitglieder_setzen(
            verbund=w.verbund, kommunen=[w.nuernberg, w.augsburg, w.muenchen]
        )
        self.ids = [p.pk for p in self.objekte.values()]
        self.ergebnis_ids = [e.pk for e in self.ergebnisse.values()]

    def _projekt(self, **legal):
        return projekt_anlegen(self.welt.muenchen, self.her, **legal)

    def _ergebnis(self, **legal):
        return ergebnis_anlegen(self.welt.muenchen, self.her, **legal)

    def _beantragen(self, p, art, umfang, **kw):
        return services.freigabe_beantragen(
            objekt=p,
            by=self.her,
            empfaenger_art=art,
            empfaenger_kommune=self.welt.augsburg if art == "kommune" else None,
            empfaenger_verbund=self.welt.verbund if art == "verbund" else None,
            umfang=umfang,
            **kw,
        )

    def _erteilen(self, f):
        return services.freigabe_erteilen(freigabe=f, by=self.admin)

    def user(self, name):
        user = self.users[name]
        if isinstance(user, Benutzer):
            sharing.forget(user)
        return user


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        sharing.clear_caches()
        yield Matrix()
        transaction.set_rollback(True)
    sharing.clear_caches()


def test_tabelle_vollstaendig():
    assert all(len(zeile) == len(BETRACHTER) for zeile in ERWARTET.values())
    assert all(set(z) <= set("vdcs-") for zeile in ERWARTET.values() for z in zeile)


@pytest.mark.parametrize("perm", PERMS)
@pytest.mark.parametrize("betrachter", BETRACHTER)
@pytest.mark.parametrize("zustand", list(ERWARTET))
def test_matrix(matrix, db, zustand, betrachter, perm):
    erwartet = perm[0] in ERWARTET[zustand][BETRACHTER.index(betrachter)]
    objekt = matrix.objekte[zustand]
    user = matrix.user(betrachter)
    assert sharing.can(user, perm, objekt) is erwartet
    sichtbar = set(
        sharing.visible(user, Projekt.objects.filter(pk__in=matrix.ids), perm).values_list(
            "pk", flat=True
        )
    )
    assert (objekt.pk in sichtbar) is erwartet


@pytest.mark.parametrize("perm", PERMS)
@pytest.mark.parametrize("betrachter", BETRACHTER)
@pytest.mark.parametrize(
    "zustand",
    [
        "ohne",
        "kommune-vollstaendig",
        "kommune-mitarbeit",
        "verbund-zurueckgehalten",
        "oeffentlich-metadaten",
    ],
)
def test_matrix_ergebnis(matrix, db, zustand, betrachter, perm):
    erwartet = perm[0] in ERWARTET[zustand][BETRACHTER.index(betrachter)]
    objekt = matrix.ergebnisse[zustand]
    user = matrix.user(betrachter)
    assert sharing.can(user, perm, objekt) is erwartet
    sichtbar = sharing.visible(user, Ergebnis.objects.filter(pk__in=matrix.ergebnis_ids), perm)
    assert (objekt.pk in set(sichtbar.values_list("pk", flat=True))) is erwartet
