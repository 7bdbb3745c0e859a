"""Test data: the Welt of four Kommunen and their users, Projekte, Ergebnisse, Dokumente, Freigaben.

Objects are written as the portal writes them: a Projekt or Ergebnis, then
`sharing.sync_permissions`; a Freigabe through the services. So the permission rows a test
sees are the ones production would have. Only the bulk builders (`viele`, `eingang_fuellen`)
write rows directly, for query budgets measured with hundreds of objects.

The short functions (`projekt_anlegen(kommune, user, **felder)`, ...) are what most tests
call; they hand their arguments to the factories.
"""

import datetime as dt
import hashlib
import itertools

import factory
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from kommunen import services, sharing
from kommunen.models import (
    PERSONENBEZOGEN,
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Kommune,
    Rolle,
    Umfang,
    Verbund,
    Zugangsanfrage,
)

ROLLEN = (Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN)
PASSWORT = "Geheim-Passwort-123"

# Legal metadata under which an object may be shared with the public.
OEFFENTLICH = {
    "einstufung": "offen",
    "personenbezug": "keiner",
    "nutzungsrechte": "umfassend",
    "unterlizenz_erlaubt": True,
    "lizenz": "CC-BY-4.0",
    "quellenvermerk": "Stadt München, Referat für Digitalisierung",
}

# One counter for Projekte and Ergebnisse, so that no two default titles are alike.
_nr = itertools.count(1)


# --- users and the Welt -------------------------------------------------------------------


class BenutzerFactory(factory.django.DjangoModelFactory):
    """A user of a Kommune in one role, created by the service that also sets the groups."""

    class Meta:
        model = "kommunen.Benutzer"

    kommune = None
    rolle = Rolle.MITARBEIT
    username = factory.LazyAttribute(lambda o: f"{o.kommune.slug}-{o.rolle}")
    password = PASSWORT
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.benutzer_anlegen(**kwargs)


class Welt:
    """Nürnberg, Augsburg, München in their Verbund, plus Regensburg outside it."""

    def __init__(self):
        call_command("seed", verbosity=0)
        self.nuernberg = Kommune.objects.get(slug="nuernberg")
        self.augsburg = Kommune.objects.get(slug="augsburg")
        self.muenchen = Kommune.objects.get(slug="muenchen")
        self.regensburg = services.kommune_anlegen(
            name="Regensburg", slug="regensburg", ags="09362000"
        )
        self.verbund = Verbund.objects.get()
        self.users = {}
        for kommune in (self.nuernberg, self.augsburg, self.muenchen, self.regensburg):
            for rolle in ROLLEN:
                self.users[(kommune.slug, rolle)] = BenutzerFactory(kommune=kommune, rolle=rolle)

    def user(self, slug: str, rolle: str = Rolle.MITARBEIT):
        user = self.users[(slug, rolle)]
        sharing.forget(user)
        return user


# --- shareable objects --------------------------------------------------------------------


class _FreigebbarFactory(factory.django.DjangoModelFactory):
    """Legal metadata of every shareable object; `kommune` and `erstellt_von` are given."""

    class Meta:
        abstract = True

    zusammenfassung = "Zusammenfassung"
    einstufung = "intern"
    personenbezug = "keiner"
    nutzungsrechte = "eigene"
    # The facts the second reading of the law asks for, answered the ordinary way unless a
    # test says otherwise: not on consent, Art. 9 lit. g, the procurement awarded.
    einwilligung = factory.LazyAttribute(
        lambda o: "keine" if o.personenbezug in PERSONENBEZOGEN else ""
    )
    art9_ausnahme = factory.LazyAttribute(
        lambda o: "g" if o.personenbezug == "besondere_kategorien" else ""
    )
    schwellenwert = factory.LazyAttribute(
        lambda o: "unterschwellig" if getattr(o, "vergabebezug", "keiner") != "keiner" else ""
    )
    vergabestand = factory.LazyAttribute(
        lambda o: "zuschlag" if getattr(o, "vergabebezug", "keiner") != "keiner" else ""
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        objekt = super()._create(model_class, *args, **kwargs)
        sharing.sync_permissions(objekt)
        return objekt


class ProjektFactory(_FreigebbarFactory):
    class Meta:
        model = "projekte.Projekt"

    titel = factory.LazyFunction(lambda: f"Projekt {next(_nr)}")
    vergabebezug = "keiner"
    gremienstatus = "nicht_befasst"


class ErgebnisFactory(_FreigebbarFactory):
    class Meta:
        model = "wissen.Ergebnis"

    titel = factory.LazyFunction(lambda: f"Ergebnis {next(_nr)}")


class DokumentFactory(factory.django.DjangoModelFactory):
    """A stored file whose text is already extracted; `ergebnis` and `hochgeladen_von` are given."""

    class Meta:
        model = "wissen.Dokument"

    class Params:
        inhalt = b"%PDF-1.4 test"

    originalname = "bericht.pdf"
    groesse = factory.LazyAttribute(lambda o: len(o.inhalt))
    sha256 = factory.LazyAttribute(
        lambda o: hashlib.sha256(o.inhalt + o.originalname.encode()).hexdigest()
    )
    mime = "application/pdf"
    text = ""
    extraktion = "fertig"
    datei = factory.LazyAttribute(lambda o: ContentFile(o.inhalt, name=o.originalname))

    @classmethod
    def _create(cls, model_class, *args, datei, **kwargs):
        # The storage path derives from the instance (its Kommune and hash): save the file
        # onto the instance first, then the row.
        dok = model_class(*args, **kwargs)
        dok.datei.save(datei.name, datei, save=False)
        dok.save()
        return dok


def projekt_anlegen(kommune, user, **felder):
    return ProjektFactory(kommune=kommune, erstellt_von=user, **felder)


def ergebnis_anlegen(kommune, user, **felder):
    return ErgebnisFactory(kommune=kommune, erstellt_von=user, **felder)


def im_suchindex(objekt):
    """Write the search index of an object the factories made (the services do it on save)."""
    from projekte.models import Projekt
    from projekte.suche import projekt_suchvektor_aktualisieren
    from wissen.suche import ergebnis_suchvektor_aktualisieren

    if isinstance(objekt, Projekt):
        projekt_suchvektor_aktualisieren(objekt.pk)
    else:
        ergebnis_suchvektor_aktualisieren(objekt.pk)
    return objekt


def dokument_anlegen(ergebnis, user, *, name="bericht.pdf", inhalt=b"%PDF-1.4 test", text=""):
    return DokumentFactory(
        ergebnis=ergebnis, hochgeladen_von=user, originalname=name, inhalt=inhalt, text=text
    )


# --- Freigaben through the services -------------------------------------------------------


def uebermittlung(objekt) -> dict:
    """For personal data: the transfer basis and the recipient's purpose (DSGVO-3), the
    ordinary way: a public task, the same purpose as at collection."""
    if objekt.personenbezug not in PERSONENBEZOGEN:
        return {}
    return {"uebermittlungsgrundlage": "aufgabe", "empfaenger_zweck": objekt.zweck}


def beantragen(welt, objekt, *, an=None, umfang=Umfang.VOLLSTAENDIG, art=EmpfaengerArt.KOMMUNE):
    """Propose a Freigabe with the owner's herausgabe user (to Kommune `an` or the Verbund)."""
    her = welt.user(objekt.kommune.slug, Rolle.HERAUSGABE)
    return services.freigabe_beantragen(
        objekt=objekt,
        by=her,
        empfaenger_art=art,
        empfaenger_kommune=an if art == EmpfaengerArt.KOMMUNE else None,
        empfaenger_verbund=welt.verbund if art == EmpfaengerArt.VERBUND else None,
        umfang=umfang,
        **uebermittlung(objekt),
    )


def freigeben(welt, objekt, *, an=None, umfang=Umfang.VOLLSTAENDIG, auflagen="", **daten):
    """Propose and grant a Freigabe with the owner's herausgabe user and admin.

    `an` is a Kommune, the Verbund, or None for the public; `daten` may give `gueltig_ab`
    and `gueltig_bis`.
    """
    slug = objekt.kommune.slug
    her = welt.user(slug, "herausgabe")
    admin = welt.user(slug, "freigabe_admin")
    if an is None:
        art, kwargs = EmpfaengerArt.OEFFENTLICH, {}
    elif an == welt.verbund:
        art, kwargs = EmpfaengerArt.VERBUND, {"empfaenger_verbund": an}
    else:
        art, kwargs = EmpfaengerArt.KOMMUNE, {"empfaenger_kommune": an}
    f = services.freigabe_beantragen(
        objekt=objekt,
        by=her,
        empfaenger_art=art,
        umfang=umfang,
        auflagen=auflagen,
        **kwargs,
        **daten,
        **uebermittlung(objekt),
    )
    return services.freigabe_erteilen(freigabe=f, by=admin)


# --- mass data for query budgets ----------------------------------------------------------


def viele(modell, kommune, user, n, *, sichtbar_fuer=(), **felder):
    """n objects at once, visible to their owner and to the given groups (as a Freigabe would)."""
    objekte = modell.objects.bulk_create(
        [
            modell(
                kommune=kommune,
                erstellt_von=user,
                titel=f"{modell.__name__} Masse {i}",
                zusammenfassung="Zusammenfassung zur Masse mit Verwaltung",
                **felder,
            )
            for i in range(n)
        ]
    )
    group_perm = sharing.perm_model(modell)
    ids = sharing._perm_ids(modell)
    gruppen = [kommune.gruppe_mitglieder_id, *sichtbar_fuer]
    group_perm.objects.bulk_create(
        [
            group_perm(group_id=g, permission_id=ids[a], content_object=o)
            for o in objekte
            for g in gruppen
            for a in ("view", "download")
        ]
    )
    # The group lists sync_permissions keeps beside the rows (sharing.vorfilter).
    modell.objects.filter(pk__in=[o.pk for o in objekte]).update(
        **{feld: sorted(gruppen) for feld in sharing.GRUPPENLISTEN.values()}
    )
    # Rows written around sync_permissions: the lists kept per group set are old now.
    sharing.generation_erhoehen(None)
    return objekte


def eingang_fuellen(welt, n):
    """n proposals, n granted, n access requests of München, written in bulk."""
    from projekte.models import Projekt
    from wissen.models import Ergebnis

    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekte = Projekt.objects.bulk_create(
        [
            Projekt(
                kommune=welt.muenchen,
                erstellt_von=her,
                titel=f"Massenprojekt {i}",
                zusammenfassung="z",
                nutzungsrechte="eigene",
            )
            for i in range(n)
        ]
    )
    ergebnisse = Ergebnis.objects.bulk_create(
        [
            Ergebnis(
                kommune=welt.muenchen,
                erstellt_von=her,
                titel=f"Massenergebnis {i}",
                zusammenfassung="z",
                nutzungsrechte="eigene",
            )
            for i in range(n)
        ]
    )
    _sichtbar_fuer_eigentuemer(welt.muenchen, projekte + ergebnisse)
    freigaben = []
    # Per type: documents withheld, active, and proposed Freigaben, so that every section
    # holds both types with 3 as with 300 objects.
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    for i, o in [*enumerate(projekte), *enumerate(ergebnisse)]:
        erteilt = i % 4 <= 1
        freigaben.append(
            Freigabe(
                objekt=o,
                eigentuemer=welt.muenchen,
                empfaenger_art=EmpfaengerArt.KOMMUNE,
                empfaenger_kommune=welt.augsburg if i % 2 else welt.nuernberg,
                umfang=Umfang.VOLLSTAENDIG,
                gueltig_bis=dt.date(2030, 1, 1),
                beantragt_von=her,
                status=FreigabeStatus.ERTEILT if erteilt else FreigabeStatus.BEANTRAGT,
                entschieden_von=admin if erteilt else None,
                entschieden_am=timezone.now() if erteilt else None,
                dokumente_zurueckgehalten=i % 4 == 0,
            )
        )
    Freigabe.objects.bulk_create(freigaben)
    Zugangsanfrage.objects.bulk_create(
        [
            Zugangsanfrage(
                objekt=o,
                eigentuemer=welt.muenchen,
                antragsteller=welt.user("augsburg"),
                kommune=welt.augsburg,
                begruendung="bitte",
            )
            for o in ergebnisse
        ]
    )


def _sichtbar_fuer_eigentuemer(kommune, objekte):
    """The owner's view rows, written in bulk (what sync_permissions would write first)."""
    for model in {type(o) for o in objekte}:
        group_perm = sharing.perm_model(model)
        perm_id = sharing._perm_ids(model)["view"]
        group_perm.objects.bulk_create(
            [
                group_perm(
                    group_id=kommune.gruppe_mitglieder_id,
                    permission_id=perm_id,
                    content_object_id=o.pk,
                )
                for o in objekte
                if type(o) is model
            ]
        )
