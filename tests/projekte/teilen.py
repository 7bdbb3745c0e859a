"""Helpers for the reuse-side tests: share objects through the real services, mass data."""

import hashlib

from django.core.files.base import ContentFile

from kommunen import services, sharing
from kommunen.models import EmpfaengerArt, Umfang

OEFFENTLICH = {
    "einstufung": "offen",
    "personenbezug": "keiner",
    "nutzungsrechte": "umfassend",
    "lizenz": "CC-BY-4.0",
    "quellenvermerk": "Stadt München, Referat für Digitalisierung",
}


def freigeben(welt, objekt, *, an=None, umfang=Umfang.VOLLSTAENDIG, auflagen=""):
    """Propose and grant a Freigabe with the owner's herausgabe user and admin."""
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
        objekt=objekt, by=her, empfaenger_art=art, umfang=umfang, auflagen=auflagen, **kwargs
    )
    return services.freigabe_erteilen(freigabe=f, by=admin)


def dokument_anlegen(ergebnis, user, *, name="bericht.pdf", inhalt=b"%PDF-1.4 test", text=""):
    from wissen.models import Dokument

    sha = hashlib.sha256(inhalt + name.encode()).hexdigest()
    dok = Dokument(
        ergebnis=ergebnis,
        originalname=name,
        groesse=len(inhalt),
        sha256=sha,
        mime="application/pdf",
        hochgeladen_von=user,
        text=text,
        extraktion="fertig",
    )
    dok.datei.save(name, ContentFile(inhalt), save=False)
    dok.save()
    return dok


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
    return objekte
