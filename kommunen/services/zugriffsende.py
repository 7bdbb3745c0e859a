"""When a Freigabe ends: its recipients who lose access, and the object's publisher, are told.

A Freigabe ends by revocation, suspension (a rule fails now), expiry, withdrawal or deletion
of its object. The recipients were told when it began (`freigabe_neu`); they are told when it
ends, but only those who lose access by it: a user who still sees the object through another
Freigabe (a Verbund, the public, a second Freigabe to the Kommune) is not disturbed. To one
Kommune the rows are written at once; to a Verbund or the public the fan-out runs in a task
queued on commit, as for a new Freigabe.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.aufgaben import einreihen

from .. import sharing
from ..models import Benachrichtigung, Benutzer, EmpfaengerArt, Freigabe, FreigabeStatus, Protokoll
from .benachrichtigungen import (
    FANOUT_STUECK,
    _empfaenger_nutzer,
    _stapel_schreiben,
    benachrichtigen,
    freigabe_admins,
    in_sprachen,
    objekt_link,
)

EREIGNIS_ENDE = "freigabe_beendet"

# What the recipients read about how it ended (the owner's grounds stay with the owner).
WIE_BEENDET = {
    FreigabeStatus.WIDERRUFEN: gettext_lazy("widerrufen"),
    FreigabeStatus.AUSGESETZT: gettext_lazy("ausgesetzt"),
    FreigabeStatus.ABGELAUFEN: gettext_lazy("abgelaufen"),
}


def freigabe_ende_melden(*, freigabe: Freigabe, titel: str) -> None:
    """Tell the recipients of an ended Freigabe who lose access by it; call inside the
    transaction that ended it. `titel` names the object even when it is being deleted."""
    pk = freigabe.pk
    if freigabe.empfaenger_art == EmpfaengerArt.KOMMUNE:
        # Who still sees the object is known once the rows are synced and committed, so even
        # the few rows to one Kommune are written after commit (in the request, not a worker).
        # Robust: a failure here leaves the notices owed to the sweep, never a failed request.
        transaction.on_commit(
            lambda: freigabe_ende_empfaengern_melden(freigabe_id=pk, titel=titel), robust=True
        )
        return
    from ..tasks import freigabe_ende_verteilen

    def verteilen():
        # With the broker down the notices are written here rather than owed to nobody.
        if not einreihen(freigabe_ende_verteilen, pk, titel):
            freigabe_ende_empfaengern_melden(freigabe_id=pk, titel=titel)

    transaction.on_commit(verteilen, robust=True)


def _sehen_noch(objekt) -> set[int]:
    """Ids of the groups that still see `objekt` today (none when it is gone)."""
    return sharing.sehende_gruppen(objekt) if objekt is not None else set()


def freigabe_ende_empfaengern_melden(*, freigabe_id: int, titel: str = "") -> int:
    """One notification per recipient user who no longer sees the object; safe to run twice.
    Marks the Freigabe as told (`ende_gemeldet_am`), also when nobody lost access."""
    f = (
        Freigabe.objects.select_related("eigentuemer", "empfaenger_kommune", "empfaenger_verbund")
        .filter(pk=freigabe_id)
        .exclude(status__in=[FreigabeStatus.ERTEILT, FreigabeStatus.BEANTRAGT])
        .first()
    )
    if f is None:
        return 0
    objekt = f.objekt
    titel = titel or _titel(f, objekt)
    gruppen = _sehen_noch(objekt)
    if sharing.public_group_id() in gruppen:
        _gemeldet(f)
        return 0  # everyone signed in still sees it
    ereignis = f"{EREIGNIS_ENDE}:{f.pk}"
    schon = Benachrichtigung.objects.filter(ereignis=ereignis).values("empfaenger_id")
    nutzer = _empfaenger_nutzer(f).exclude(pk__in=schon)
    if gruppen:
        nutzer = nutzer.exclude(groups__in=gruppen)
    link = objekt_link(objekt) if objekt is not None else ""
    # Rendered once per language here, not per batch.
    betreff = in_sprachen(lambda: _("Nicht mehr für Sie freigegeben: %(titel)s") % {"titel": titel})
    text = in_sprachen(
        lambda: (
            _(
                "%(eigentuemer)s teilt „%(titel)s“ nicht mehr mit %(an)s: Freigabe Nr. %(nr)s ist "
                "%(wie)s. Sie können das Objekt nicht mehr öffnen. Wenn Sie es weiter brauchen, "
                "wenden Sie sich an %(eigentuemer)s."
            )
            % {
                "eigentuemer": f.eigentuemer,
                "titel": titel,
                "an": f.empfaenger_bezeichnung,
                "nr": f.pk,
                "wie": WIE_BEENDET.get(f.status, gettext_lazy("beendet")),
            }
        )
    )
    geschrieben = 0
    stapel: list[Benutzer] = []
    for user in nutzer.distinct().order_by("pk").iterator(chunk_size=FANOUT_STUECK):
        stapel.append(user)
        if len(stapel) >= FANOUT_STUECK:
            geschrieben += _stapel_schreiben(benachrichtigen, stapel, ereignis, betreff, text, link)
            stapel = []
    if stapel:
        geschrieben += _stapel_schreiben(benachrichtigen, stapel, ereignis, betreff, text, link)
    _gemeldet(f)
    return geschrieben


def _gemeldet(f: Freigabe) -> None:
    Freigabe.objects.filter(pk=f.pk, ende_gemeldet_am__isnull=True).update(
        ende_gemeldet_am=timezone.now()
    )


def _titel(f: Freigabe, objekt) -> str:
    """The object's title, from the Protokoll once the object is deleted."""
    if objekt is not None:
        return str(objekt)
    return (
        Protokoll.objects.filter(freigabe_id_ref=f.pk)
        .exclude(objekt_titel="")
        .order_by("-zeitpunkt", "-pk")
        .values_list("objekt_titel", flat=True)
        .first()
        or ""
    )


ENDE_NACHHOLEN_NACH = dt.timedelta(minutes=5)
# Endings older than this are not announced late any more (no stale notice after weeks).
ENDE_NACHHOLEN_TAGE = 7


def enden_nachholen(*, jetzt: dt.datetime | None = None) -> int:
    """End notices still owed some minutes after a granted Freigabe ended (the process or the
    worker went away before writing them): write them here. Safe to run twice."""
    jetzt = jetzt or timezone.now()
    offen = Freigabe.objects.filter(
        status__in=list(WIE_BEENDET),
        entschieden_am__isnull=False,  # it was granted; an ended proposal reached nobody
        ende_gemeldet_am__isnull=True,
        beendet_am__lt=jetzt - ENDE_NACHHOLEN_NACH,
        beendet_am__gte=jetzt - dt.timedelta(days=ENDE_NACHHOLEN_TAGE),
    ).values_list("pk", flat=True)
    return sum(freigabe_ende_empfaengern_melden(freigabe_id=pk) for pk in list(offen[:500]))


def betreuende(objekt):
    """Who looks after an object: its Kommune's Freigabe-Admins and the person who published
    it (while active and still of that Kommune)."""
    admins = list(freigabe_admins(objekt.kommune))
    autor = Benutzer.objects.filter(
        pk=objekt.erstellt_von_id, is_active=True, kommune_id=objekt.kommune_id
    ).first()
    if autor is not None and all(a.pk != autor.pk for a in admins):
        admins.append(autor)
    return admins
