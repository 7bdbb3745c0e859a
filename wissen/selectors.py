"""Reads of results and documents, always through kommunen.sharing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunen import selectors as kommunen_selectors
from kommunen import sharing, sichtlisten
from kommunen.models import Freigabe, FreigabeStatus
from projekte import selectors as projekte_selectors
from projekte.models import Projekt

from .models import Dokument, Dokumentfassung, Ergebnis


def _basis() -> QuerySet[Ergebnis]:
    return Ergebnis.objects.select_related("kommune", "projekt")


def ergebnisse_sichtbar(*, user, perm: str = "view") -> QuerySet[Ergebnis]:
    return sharing.visible(user, _basis(), perm)


def darf_laden(*, user) -> Exists | Q:
    """Per row of a result queryset: may `user` download its documents? (one EXISTS)

    Whatever shows or matches a document's text (search, excerpts) is gated by this, the
    same policy as the download view: `sharing.visible(user, ..., "download")`.
    """
    bedingung = sharing.recht(user, Ergebnis, "download")
    return Q(pk__in=[]) if bedingung is None else bedingung


def ergebnisse_eigene(*, user) -> QuerySet[Ergebnis]:
    return ergebnisse_sichtbar(user=user).filter(kommune_id=user.kommune_id)


def ergebnisse_geteilt(*, user, tage: int = 30) -> QuerySet[Ergebnis]:
    seit = timezone.now() - dt.timedelta(days=tage)
    ids = Freigabe.objects.filter(
        ergebnis__isnull=False, status=FreigabeStatus.ERTEILT, entschieden_am__gte=seit
    ).values("object_id")
    qs = ergebnisse_sichtbar(user=user).filter(pk__in=ids)
    if getattr(user, "kommune_id", None):
        qs = qs.exclude(kommune_id=user.kommune_id)
    return qs


def ergebnis_sichtbar(*, user, pk, perm: str = "view") -> Ergebnis:
    return sharing.get_visible_or_404(user, _basis(), perm, pk=pk)


def ergebnisse_des_projekts(*, user, projekt: Projekt) -> QuerySet[Ergebnis]:
    """The results of a project that `user` may see, newest first."""
    return sharing.visible(
        user,
        Ergebnis.objects.filter(projekt=projekt)
        .select_related("kommune")
        .order_by("-erstellt_am", "-pk"),
        "view",
    )


def ergebnis_fuer_dokumente(*, user, pk) -> Ergebnis:
    """A result whose documents `user` may add or replace; the same 404 otherwise."""
    ergebnis = ergebnis_sichtbar(user=user, pk=pk, perm="change")
    if not sharing.can_change_documents(user, ergebnis):
        raise Http404(_("Nicht gefunden."))
    return ergebnis


def ergebnis_zum_loeschen(*, user, pk) -> Ergebnis:
    """A result `user` may delete (its owner's Herausgabe); the same 404 otherwise."""
    ergebnis = ergebnis_sichtbar(user=user, pk=pk, perm="change")
    if not sharing.can_delete(user, ergebnis):
        raise Http404(_("Nicht gefunden."))
    return ergebnis


# --- lists with facets ------------------------------------------------------------------------


def _jahr():
    return Coalesce(ExtractYear("datum"), ExtractYear("erstellt_am"))


def ergebnis_jahre(*, user) -> list[int]:
    """The years (date of the result, else creation) of the results the user may see,
    computed once per group set and generation of the rights (kommunen.sichtlisten)."""
    return sichtlisten.jahre(
        user, "ergebnis-jahre", lambda: ergebnisse_sichtbar(user=user), _jahr()
    )


def _sichtbare_projekte(user, **lookup) -> QuerySet:
    # Thema and Initiative belong to the linked project: only a project the user may see
    # can select a result, or the filter would tell what a hidden project is about.
    return sharing.visible(user, Projekt.objects.filter(**lookup), "view").values("pk")


def ergebnisse_filtern(qs: QuerySet[Ergebnis], filter: dict, *, user) -> QuerySet[Ergebnis]:
    """Apply the facets to an already visible() queryset."""
    if "kommune" in filter:
        qs = qs.filter(kommune_id=filter["kommune"])
    # A result is under a Thema (Initiative) when it names it itself or its visible project
    # does.
    if "thema" in filter:
        qs = qs.filter(
            Q(
                pk__in=Ergebnis.themen.through.objects.filter(thema_id=filter["thema"]).values(
                    "ergebnis_id"
                )
            )
            | Q(projekt_id__in=_sichtbare_projekte(user, themen=filter["thema"]))
        )
    if "initiative" in filter:
        qs = qs.filter(
            Q(
                pk__in=Ergebnis.initiativen.through.objects.filter(
                    initiative_id=filter["initiative"]
                ).values("ergebnis_id")
            )
            | Q(projekt_id__in=_sichtbare_projekte(user, initiativen=filter["initiative"]))
        )
    if "art" in filter:
        qs = qs.filter(art=filter["art"])
    if "jahr" in filter:
        qs = qs.annotate(jahr=_jahr()).filter(jahr=filter["jahr"])
    return qs


def ergebnisse_gefiltert(*, user, filter: dict) -> QuerySet[Ergebnis]:
    qs = ergebnisse_filtern(ergebnisse_sichtbar(user=user), filter, user=user)
    return projekte_selectors.sortieren(qs, filter.get("sortierung"))


def ergebnisse_liste(*, user, filter: dict) -> sichtlisten.SichtbareListe:
    """The list page's results: order and number kept per group set, rows through visible()."""
    return sichtlisten.SichtbareListe(
        user, ergebnisse_gefiltert(user=user, filter=filter), art="ergebnisse", filter=filter
    )


# --- detail and documents ---------------------------------------------------------------------


def _dokumente_ohne_text() -> QuerySet[Dokument]:
    # The extracted text can be megabytes; pages never show it.
    return Dokument.objects.defer("text").order_by("hochgeladen_am", "pk")


def ergebnis_detail_laden(*, user, pk) -> Ergebnis:
    """One visible result with its documents' metadata, in a fixed number of queries."""
    qs = projekte_selectors.mit_vokabular(
        _basis().prefetch_related(
            Prefetch("dokumente", queryset=_dokumente_ohne_text(), to_attr="dokumente_liste")
        )
    )
    ergebnis = sharing.get_visible_or_404(user, qs, "view", rechte=True, pk=pk)
    projekte_selectors.vokabular_einsetzen(ergebnis)
    return ergebnis


def ergebnis_projekt_sichtbar(*, user, ergebnis: Ergebnis) -> Projekt | None:
    """The linked project, only if the user may see it (its title is not shown otherwise)."""
    if ergebnis.projekt_id is None:
        return None
    return projekte_selectors.projekte_sichtbar(user=user).filter(pk=ergebnis.projekt_id).first()


def dokument_zum_herunterladen(*, user, ergebnis_pk, dokument_pk) -> tuple[Ergebnis, Dokument]:
    """A document the user may download; the same 404 for missing, foreign and withheld."""
    ergebnis = sharing.get_visible_or_404(user, _basis(), "download", pk=ergebnis_pk)
    try:
        dokument = _dokumente_ohne_text().get(ergebnis=ergebnis, pk=dokument_pk)
    except (Dokument.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc
    return ergebnis, dokument


def dokument_zum_aendern(*, user, ergebnis_pk, dokument_pk) -> tuple[Ergebnis, Dokument]:
    """A document whose result's documents `user` may change; the same 404 otherwise."""
    ergebnis = ergebnis_fuer_dokumente(user=user, pk=ergebnis_pk)
    try:
        dokument = _dokumente_ohne_text().get(ergebnis=ergebnis, pk=dokument_pk)
    except (Dokument.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc
    return ergebnis, dokument


def _sieht_fassungen(user, ergebnis: Ergebnis) -> bool:
    """Earlier versions are the owner's history: its staff who may download, nobody else."""
    return getattr(user, "kommune_id", None) == ergebnis.kommune_id and sharing.can(
        user, "download", ergebnis
    )


def dokumentfassungen(*, user, ergebnis: Ergebnis) -> dict[int, list[Dokumentfassung]]:
    """Earlier versions of the result's documents by document id, newest first; empty for
    anyone but the owner's staff."""
    if not _sieht_fassungen(user, ergebnis):
        return {}
    fassungen: dict[int, list[Dokumentfassung]] = {}
    for f in Dokumentfassung.objects.filter(dokument__ergebnis=ergebnis).order_by(
        "-ersetzt_am", "-pk"
    ):
        fassungen.setdefault(f.dokument_id, []).append(f)
    return fassungen


def fassung_zum_herunterladen(
    *, user, ergebnis_pk, dokument_pk, fassung_pk
) -> tuple[Ergebnis, Dokumentfassung]:
    """An earlier version the user may download (owner's staff); the same 404 otherwise."""
    ergebnis = sharing.get_visible_or_404(user, _basis(), "download", pk=ergebnis_pk)
    if not _sieht_fassungen(user, ergebnis):
        raise Http404(_("Nicht gefunden."))
    try:
        fassung = Dokumentfassung.objects.get(
            dokument__ergebnis=ergebnis, dokument_id=dokument_pk, pk=fassung_pk
        )
    except (Dokumentfassung.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc
    return ergebnis, fassung


# --- follows ----------------------------------------------------------------------------------


def ergebnisse_verfolgt(*, user) -> QuerySet[Ergebnis]:
    """Visible results of a followed Kommune, or of a visible project with a followed topic."""
    from projekte.models import Abo

    abos = Abo.objects.filter(benutzer=user)
    projekte = projekte_selectors.projekte_sichtbar(user=user).filter(
        pk__in=projekte_selectors.verfolgte_projekt_ids(user=user)
    )
    return ergebnisse_sichtbar(user=user).filter(
        Q(kommune_id__in=abos.filter(kommune__isnull=False).values("kommune_id"))
        | Q(projekt_id__in=projekte.values("pk"))
    )


def extraktion_rueckstand(*, jetzt: dt.datetime | None = None) -> dict:
    """Documents whose text is still owed and how long the oldest has waited (/healthz)."""
    jetzt = jetzt or timezone.now()
    offen = Dokument.objects.filter(
        extraktion__in=[Dokument.Extraktion.WARTET, Dokument.Extraktion.LAEUFT]
    )
    aeltestes = offen.order_by("hochgeladen_am").values_list("hochgeladen_am", flat=True).first()
    return {
        "extraktionen": offen.count(),
        "extraktionen_aeltestes_s": kommunen_selectors.alter_sekunden(aeltestes, jetzt),
    }
