"""Reads of projects, always through kommunen.sharing."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear, Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common import zwischenspeicher
from common.datenbanken import primaer
from kommunen import sharing, sichtlisten
from kommunen.models import (
    Freigabe,
    FreigabeStatus,
    Kommune,
)

from .filter import Auswahl
from .models import Abo, Initiative, Nachnutzung, Projekt, Thema


def _basis() -> QuerySet[Projekt]:
    return Projekt.objects.select_related("kommune")


def projekte_sichtbar(*, user, perm: str = "view") -> QuerySet[Projekt]:
    return sharing.visible(user, _basis(), perm)


def projekte_eigene(*, user) -> QuerySet[Projekt]:
    return projekte_sichtbar(user=user).filter(kommune_id=user.kommune_id)


def projekte_geteilt(*, user, tage: int = 30) -> QuerySet[Projekt]:
    """Partners' projects visible to the user whose Freigabe was granted in the last days."""
    seit = timezone.now() - dt.timedelta(days=tage)
    ids = Freigabe.objects.filter(
        projekt__isnull=False, status=FreigabeStatus.ERTEILT, entschieden_am__gte=seit
    ).values("object_id")
    qs = projekte_sichtbar(user=user).filter(pk__in=ids)
    if getattr(user, "kommune_id", None):
        qs = qs.exclude(kommune_id=user.kommune_id)
    return qs


def projekt_sichtbar(*, user, pk, perm: str = "view") -> Projekt:
    return sharing.get_visible_or_404(user, _basis(), perm, pk=pk)


def projekt_zum_loeschen(*, user, pk) -> Projekt:
    """A project `user` may delete (its owner's Herausgabe); the same 404 otherwise."""
    projekt = projekt_sichtbar(user=user, pk=pk, perm="change")
    if not sharing.can_delete(user, projekt):
        raise Http404(_("Nicht gefunden."))
    return projekt


# --- lists with facets ------------------------------------------------------------------------


def facetten_optionen() -> dict:
    """Kommunen (a prepared `Auswahl`), Themen and Initiativen to filter by.

    Kept in each process under a stamp held in the shared cache: a request reads the stamp
    (one cache read) and uses its process's copy while the stamp is the same; every change of
    a Kommune, Thema or Initiative sets a new stamp (projekte.signals), and the next request
    of every process reads the lists again (three queries). Without the cache, every request
    reads them. Their names are not confidential; which objects carry them is, and that is
    only ever read through visible().
    """
    stand = zwischenspeicher.lesen(FACETTEN_CACHE_KEY)
    if stand is None:
        stand = uuid.uuid4().hex
        if not zwischenspeicher.hinzufuegen(FACETTEN_CACHE_KEY, stand, FACETTEN_STAND_SEKUNDEN):
            stand = zwischenspeicher.lesen(FACETTEN_CACHE_KEY)
    gemerkt = _facetten_im_prozess.get("optionen")
    if stand is not None and gemerkt is not None and gemerkt[0] == stand:
        return gemerkt[1]
    # Kept beyond the request: read from the primary, so that no process keeps a lagging
    # replica's copy under the new stamp.
    with primaer():
        optionen = {
            "kommunen": Auswahl(Kommune.objects.filter(aktiv=True).only("pk", "name", "slug")),
            "themen": list(Thema.objects.all()),
            "initiativen": list(Initiative.objects.all()),
        }
    if stand is not None:
        _facetten_im_prozess["optionen"] = (stand, optionen)
    return optionen


# The process's copy of the facet options and the stamp it was read under.
_facetten_im_prozess: dict = {}


# The stamp also ends after a while, which bounds how long a process can show an old name
# when a change could not set a new one (the cache was down at that moment).
FACETTEN_CACHE_KEY = "projekte:facetten-stand:v2"
FACETTEN_STAND_SEKUNDEN = 300


def facetten_optionen_vergessen(**kwargs) -> None:
    """A new stamp: every process reads the lists again on its next request."""
    zwischenspeicher.schreiben(FACETTEN_CACHE_KEY, uuid.uuid4().hex, FACETTEN_STAND_SEKUNDEN)


def _jahr():
    return Coalesce(ExtractYear("laufzeit_von"), ExtractYear("erstellt_am"))


def projekt_jahre(*, user) -> list[int]:
    """The years (start of the Laufzeit, else creation) of the projects the user may see,
    computed once per group set and generation of the rights (kommunen.sichtlisten)."""
    return sichtlisten.jahre(user, "projekt-jahre", lambda: projekte_sichtbar(user=user), _jahr())


def projekte_filtern(qs: QuerySet[Projekt], filter: dict) -> QuerySet[Projekt]:
    """Apply the facets to an already visible() queryset."""
    if "kommune" in filter:
        qs = qs.filter(kommune_id=filter["kommune"])
    if "thema" in filter:
        qs = qs.filter(
            pk__in=Projekt.themen.through.objects.filter(thema_id=filter["thema"]).values(
                "projekt_id"
            )
        )
    if "initiative" in filter:
        qs = qs.filter(
            pk__in=Projekt.initiativen.through.objects.filter(
                initiative_id=filter["initiative"]
            ).values("projekt_id")
        )
    if "status" in filter:
        qs = qs.filter(status=filter["status"])
    if "jahr" in filter:
        qs = qs.annotate(jahr=_jahr()).filter(jahr=filter["jahr"])
    return qs


def sortieren(qs: QuerySet, sortierung: str | None) -> QuerySet:
    if sortierung == "titel":
        return qs.order_by(Lower("titel"), "pk")
    if sortierung == "kommune":
        return qs.order_by("kommune__name", "-erstellt_am", "-pk")
    return qs.order_by("-erstellt_am", "-pk")


def projekte_gefiltert(*, user, filter: dict) -> QuerySet[Projekt]:
    qs = projekte_filtern(projekte_sichtbar(user=user), filter)
    return sortieren(qs, filter.get("sortierung")).prefetch_related("themen")


def projekte_liste(*, user, filter: dict) -> sichtlisten.SichtbareListe:
    """The list page's projects: order and number kept per group set, rows through visible()."""
    return sichtlisten.SichtbareListe(
        user, projekte_gefiltert(user=user, filter=filter), art="projekte", filter=filter
    )


# --- detail -------------------------------------------------------------------------------


def projekt_detail_laden(*, user, pk) -> Projekt:
    """One visible project with what its page shows, in a fixed number of queries."""
    qs = mit_vokabular(
        _basis().prefetch_related(Prefetch("beteiligungen", to_attr="beteiligungen_liste"))
    )
    projekt = sharing.get_visible_or_404(user, qs, "view", rechte=True, pk=pk)
    vokabular_einsetzen(projekt)
    # The Kommunen its framework agreement names: one query, and only if it has one.
    projekt.rahmenvertrag_kommunen_liste = (
        list(projekt.rahmenvertrag_kommunen.order_by("name").only("pk", "name"))
        if projekt.rahmenvertrag
        else []
    )
    return projekt


def mit_vokabular(qs: QuerySet) -> QuerySet:
    """Projects or results with their Themen and Initiativen for one page.

    They are a small vocabulary kept in each process (facetten_optionen()); on PostgreSQL the
    object's query reads only their ids, in the same statement (vokabular_einsetzen() fills
    them in); elsewhere they are prefetched."""
    model = qs.model
    if connection.vendor != "postgresql":
        return qs.prefetch_related("themen", "initiativen")
    eigenes = f"{model._meta.model_name}_id"
    return qs.annotate(
        _themen_ids=ArraySubquery(
            model.themen.through.objects.filter(**{eigenes: OuterRef("pk")}).values("thema_id")
        ),
        _initiativen_ids=ArraySubquery(
            model.initiativen.through.objects.filter(**{eigenes: OuterRef("pk")}).values(
                "initiative_id"
            )
        ),
    )


def vokabular_einsetzen(objekt) -> None:
    """Fill `objekt.themen.all()` and `.initiativen.all()` from the ids mit_vokabular() read."""
    if connection.vendor != "postgresql":
        return
    optionen = facetten_optionen()
    _aus_vokabular(objekt, "themen", optionen["themen"], objekt._themen_ids)
    _aus_vokabular(objekt, "initiativen", optionen["initiativen"], objekt._initiativen_ids)


def _aus_vokabular(projekt, feld: str, vokabular: list, ids) -> None:
    """Fill `projekt.<feld>.all()` as a prefetch would, from the process's copy of the
    vocabulary (in its order); one query as usual if the copy lacks one of the ids yet."""
    ids = set(ids or ())
    werte = [o for o in vokabular if o.pk in ids]
    if len(werte) != len(ids):
        werte = list(getattr(projekt, feld).all())
    qs = getattr(projekt, feld).all()
    qs._result_cache = werte
    qs._prefetch_done = True
    projekt.__dict__.setdefault("_prefetched_objects_cache", {})[feld] = qs


def nachnutzungen_fuer(*, user, projekt: Projekt) -> list[Nachnutzung]:
    """The owner's users see every declared interest with its contact; others only their own."""
    if not user.is_authenticated:
        return []
    qs = projekt.nachnutzungen.select_related("benutzer", "kommune")
    if user.kommune_id is not None and user.kommune_id == projekt.kommune_id:
        return list(qs)
    return list(qs.filter(benutzer=user))


def nachnutzung_bilanz(*, user) -> list[dict]:
    """Reuse per Kommune, counted over the projects `user` may see (visible()) only: how
    many of its projects other Kommunen declared to reuse, how many projects of others it
    reuses, and the sum of the savings it estimated for them. A project the user cannot
    see adds nothing, so no figure hints at it. One query, one row per reusing Kommune and
    project: where several of a Kommune's users declared reuse of one project, its saving
    counts once (the highest estimate), as the Kommune saved once."""
    sichtbar = projekte_sichtbar(user=user).order_by().values("pk")
    paare = (
        Nachnutzung.objects.filter(projekt__in=sichtbar)
        .exclude(kommune_id=F("projekt__kommune_id"))
        .order_by()
        .values("kommune__name", "projekt_id", "projekt__kommune__name")
        .annotate(eingespart=Max("einsparung_eur"))
        .values_list("kommune__name", "projekt_id", "projekt__kommune__name", "eingespart")
    )
    zeilen: dict[str, dict] = {}
    genutzt: dict[str, set[int]] = {}

    def zeile(name: str) -> dict:
        return zeilen.setdefault(
            name, {"kommune": name, "genutzt_von_anderen": 0, "nachgenutzt": 0, "eingespart": 0}
        )

    for nutzerin, projekt_id, eigentuemerin, eingespart in paare:
        z = zeile(nutzerin)
        z["nachgenutzt"] += 1
        z["eingespart"] += eingespart or 0
        genutzt.setdefault(eigentuemerin, set()).add(projekt_id)
    for eigentuemerin, ids in genutzt.items():
        zeile(eigentuemerin)["genutzt_von_anderen"] = len(ids)
    return sorted(zeilen.values(), key=lambda z: z["kommune"])


# --- follows (Abo) --------------------------------------------------------------------------


def abos_von(*, user) -> dict[str, set[int]]:
    """The ids the user follows, per kind: {"thema": {...}, "initiative": {...}, ...}.

    Kept in the shared cache per user (every list and detail page shows follow buttons); any
    change of the user's Abos deletes the entry (projekte.signals), at once and on commit.
    """
    ergebnis: dict[str, set[int]] = {"thema": set(), "initiative": set(), "kommune": set()}
    if not user.is_authenticated:
        return ergebnis
    zeilen = zwischenspeicher.lesen(_abo_schluessel(user.pk))
    if zeilen is None:
        zeilen = list(
            Abo.objects.filter(benutzer=user).values_list("thema_id", "initiative_id", "kommune_id")
        )
        zwischenspeicher.schreiben(_abo_schluessel(user.pk), zeilen, ABOS_SEKUNDEN)
    for thema_id, initiative_id, kommune_id in zeilen:
        if thema_id:
            ergebnis["thema"].add(thema_id)
        if initiative_id:
            ergebnis["initiative"].add(initiative_id)
        if kommune_id:
            ergebnis["kommune"].add(kommune_id)
    return ergebnis


ABOS_SEKUNDEN = 3600


def _abo_schluessel(benutzer_id) -> str:
    return f"projekte:abos:{benutzer_id}"


def abos_vergessen(*, benutzer_id) -> None:
    """The user's Abos changed: read them anew, now and once the change is committed."""
    zwischenspeicher.loeschen(_abo_schluessel(benutzer_id))
    transaction.on_commit(lambda: zwischenspeicher.loeschen(_abo_schluessel(benutzer_id)))


def abo_liste(*, user) -> list[Abo]:
    return list(
        Abo.objects.filter(benutzer=user)
        .select_related("thema", "initiative", "kommune")
        .order_by("erstellt_am", "pk")
    )


def verfolgte_projekt_ids(*, user) -> QuerySet:
    """Ids of projects matching what the user follows, as a subquery (not yet visible())."""
    abos = Abo.objects.filter(benutzer=user)
    return Projekt.objects.filter(
        Q(kommune_id__in=abos.filter(kommune__isnull=False).values("kommune_id"))
        | Q(
            pk__in=Projekt.themen.through.objects.filter(
                thema_id__in=abos.filter(thema__isnull=False).values("thema_id")
            ).values("projekt_id")
        )
        | Q(
            pk__in=Projekt.initiativen.through.objects.filter(
                initiative_id__in=abos.filter(initiative__isnull=False).values("initiative_id")
            ).values("projekt_id")
        )
    ).values("pk")


def projekte_verfolgt(*, user) -> QuerySet[Projekt]:
    """Visible projects of what the user follows, newest first."""
    return projekte_sichtbar(user=user).filter(pk__in=verfolgte_projekt_ids(user=user))
