"""Reads of Freigaben and access requests: the admins' inbox, rule checks, who shares what."""

from __future__ import annotations

import copy

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, sharing
from ..models import (
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Kommune,
    Protokoll,
    Verbund,
    Zugangsanfrage,
)


def eingang_zaehlen(*, kommune: Kommune) -> dict[str, int]:
    return {
        "freigaben": Freigabe.objects.filter(
            eigentuemer=kommune, status=FreigabeStatus.BEANTRAGT
        ).count(),
        "anfragen": Zugangsanfrage.objects.filter(
            eigentuemer=kommune, status=Zugangsanfrage.Status.OFFEN
        ).count(),
    }


def _freigaben_basis(kommune: Kommune) -> QuerySet[Freigabe]:
    return (
        Freigabe.objects.filter(eigentuemer=kommune)
        .select_related(
            "content_type",
            "empfaenger_kommune",
            "empfaenger_verbund",
            "beantragt_von",
            "entschieden_von",
        )
        .prefetch_related("objekt")
    )


def freigaben_beantragt(*, kommune: Kommune) -> QuerySet[Freigabe]:
    """Proposals waiting for a decision, oldest first (a work queue)."""
    return (
        _freigaben_basis(kommune)
        .filter(status=FreigabeStatus.BEANTRAGT)
        .order_by("beantragt_am", "pk")
    )


def freigaben_zur_pruefung(*, kommune: Kommune) -> QuerySet[Freigabe]:
    """Granted with documents withheld (VERSION-1), or suspended after a legal change."""
    return (
        _freigaben_basis(kommune)
        .filter(
            Q(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=True)
            | Q(status=FreigabeStatus.AUSGESETZT)
        )
        .order_by("beantragt_am", "pk")
    )


def freigaben_aktiv(*, kommune: Kommune) -> QuerySet[Freigabe]:
    """Granted Freigaben that can be revoked, those ending soonest first."""
    return (
        _freigaben_basis(kommune)
        .filter(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=False)
        .order_by(F("gueltig_bis").asc(nulls_last=True), "pk")
    )


def anfragen_offen(*, kommune: Kommune) -> QuerySet[Zugangsanfrage]:
    return (
        Zugangsanfrage.objects.filter(eigentuemer=kommune, status=Zugangsanfrage.Status.OFFEN)
        .select_related("antragsteller", "kommune")
        .prefetch_related("objekt")
        .order_by("gestellt_am", "pk")
    )


def entscheidungs_probe(freigabe: Freigabe, *, by) -> Freigabe:
    """A copy of `freigabe` as it would stand if `by` decided now (VIER-AUGEN included)."""
    probe = copy.copy(freigabe)
    probe.entschieden_von_id = by.pk
    if freigabe.status == FreigabeStatus.ERTEILT and freigabe.dokumente_zurueckgehalten:
        # A re-approval releases the documents: judge the Freigabe as it will then stand.
        probe.dokumente_zurueckgehalten = False
    return probe


def pruefen_fuer(freigabe: Freigabe, *, by) -> list[rules.Verstoss]:
    """The rule check as it would run if `by` decided now (VIER-AUGEN included)."""
    objekt = freigabe.objekt
    if objekt is None:
        return []
    probe = entscheidungs_probe(freigabe, by=by)
    return rules.check(probe, objekt, probe.umstaende(objekt))


def anfrage_pruefen(anfrage: Zugangsanfrage, *, by) -> list[rules.Verstoss]:
    """The rule check of the Freigabe that approving `anfrage` would create."""
    from ..models import standard_gueltig_bis

    objekt = anfrage.objekt
    if objekt is None:
        return []
    heute = timezone.localdate()
    # On personal data and VS-NfD approving proposes the Freigabe for a second admin
    # (services.zugangsanfrage_entscheiden): judge it as that proposal.
    vier_augen = objekt.vier_augen_noetig
    probe = Freigabe(
        eigentuemer_id=anfrage.eigentuemer_id,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune_id=anfrage.kommune_id,
        umfang=anfrage.umfang,
        gueltig_ab=heute,
        gueltig_bis=standard_gueltig_bis(heute, loeschdatum=objekt.loeschdatum),
        beantragt_von=by if vier_augen else anfrage.antragsteller,
        entschieden_von_id=None if vier_augen else by.pk,
    )
    return rules.check(probe, objekt, probe.umstaende(objekt))


def freigabe_der_kommune(*, kommune: Kommune, pk) -> Freigabe:
    """One Freigabe owned by `kommune`; the same 404 for missing, foreign and malformed ids."""
    try:
        return _freigaben_basis(kommune).get(pk=int(pk))
    except (Freigabe.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc


def anfrage_der_kommune(*, kommune: Kommune, pk) -> Zugangsanfrage:
    try:
        return (
            Zugangsanfrage.objects.filter(eigentuemer=kommune)
            .select_related("antragsteller", "kommune")
            .get(pk=int(pk))
        )
    except (Zugangsanfrage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc


def freigabe_historie(*, freigabe: Freigabe) -> QuerySet[Protokoll]:
    """Every Protokoll row of one Freigabe, and of the access request it came from."""
    bedingung = Q(freigabe_id_ref=freigabe.pk)
    anfrage_id = (
        Zugangsanfrage.objects.filter(freigabe=freigabe).values_list("pk", flat=True).first()
    )
    if anfrage_id is not None:
        bedingung |= Q(
            aktion=Protokoll.Aktion.ANFRAGE_GESTELLT,
            content_type_id=freigabe.content_type_id,
            object_id=freigabe.object_id,
            details__anfrage=anfrage_id,
        )
    return (
        Protokoll.objects.filter(bedingung, kommune_id=freigabe.eigentuemer_id)
        .select_related("akteur_kommune")
        .order_by("zeitpunkt", "pk")
    )


def freigaben_an(*, user) -> QuerySet[Freigabe]:
    """Granted Freigaben whose recipient includes the user: their Kommune, Verbund or public.

    Only Freigaben of other Kommunen: what partners share, not what the own city gives away.
    """
    bedingung = Q(empfaenger_art=EmpfaengerArt.OEFFENTLICH)
    if getattr(user, "kommune_id", None):
        bedingung |= Q(empfaenger_art=EmpfaengerArt.KOMMUNE, empfaenger_kommune_id=user.kommune_id)
        bedingung |= Q(
            empfaenger_art=EmpfaengerArt.VERBUND, empfaenger_verbund__mitglieder=user.kommune_id
        )
    qs = Freigabe.objects.filter(bedingung, status=FreigabeStatus.ERTEILT)
    if getattr(user, "kommune_id", None):
        qs = qs.exclude(eigentuemer_id=user.kommune_id)
    return qs


def freigaben_beteiligt(*, user) -> QuerySet[Freigabe]:
    """Freigaben the user's Kommune is party to: as owner, or as (part of the) recipient.

    The dashboard counts only these, so it never tells one city what two others agreed
    between themselves; public Freigaben concern everyone.
    """
    bedingung = Q(empfaenger_art=EmpfaengerArt.OEFFENTLICH)
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id:
        bedingung |= Q(eigentuemer_id=kommune_id)
        bedingung |= Q(empfaenger_art=EmpfaengerArt.KOMMUNE, empfaenger_kommune_id=kommune_id)
        bedingung |= Q(
            empfaenger_art=EmpfaengerArt.VERBUND,
            empfaenger_verbund__in=Verbund.objects.filter(mitglieder=kommune_id),
        )
    return Freigabe.objects.filter(bedingung)


def freigaben_wirksam(qs: QuerySet[Freigabe]) -> QuerySet[Freigabe]:
    """Only granted Freigaben inside their validity period."""
    heute = timezone.localdate()
    return qs.filter(status=FreigabeStatus.ERTEILT, gueltig_ab__lte=heute).filter(
        Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=heute)
    )


# --- on the page of any shareable object ----------------------------------------------------


def freigaben_fuer(*, user, objekt, aktive: list[Freigabe] | None = None) -> list[Freigabe]:
    """The active Freigaben of `objekt` through which `user` sees it (all of them for the owner).

    Each carries `bis_wirksam`, the day it ends: its own end or the object's Löschdatum,
    whichever comes first (LOESCH-1); one that ended so already is left out. `aktive`: the
    object's sharing.active_freigaben() when the caller has read them already.
    """
    if aktive is None:
        aktive = aktive_freigaben_liste(objekt)
    kommune_id = getattr(user, "kommune_id", None)
    eigentuemer = kommune_id is not None and kommune_id == objekt.kommune_id
    verbuende = sharing.verbund_ids(user) if kommune_id is not None else set()

    def sieht_dadurch(f: Freigabe) -> bool:
        if eigentuemer or f.empfaenger_art == EmpfaengerArt.OEFFENTLICH:
            return True
        if kommune_id is None:
            return False
        if f.empfaenger_art == EmpfaengerArt.KOMMUNE:
            return f.empfaenger_kommune_id == kommune_id
        return f.empfaenger_art == EmpfaengerArt.VERBUND and f.empfaenger_verbund_id in verbuende

    heute = timezone.localdate()
    freigaben = []
    for f in aktive:
        if not sieht_dadurch(f):
            continue
        f.bis_wirksam = f.wirksam_bis(objekt)
        if f.bis_wirksam is None or f.bis_wirksam >= heute:
            freigaben.append(f)
    return freigaben


def nur_oeffentlich(*, user, objekt, freigaben: list[Freigabe]) -> bool:
    """Whether `user` sees `objekt` only as the public does, through a public Freigabe.

    `freigaben`: what freigaben_fuer() gave for them. Such a viewer is shown what a re-user
    needs (licence, source, owner, contact) and nothing of the internal sharing: no Freigabe
    numbers or dates, no document processing, no legal fields meant for the staff.
    """
    if getattr(user, "kommune_id", None) == objekt.kommune_id:
        return False
    return bool(freigaben) and all(f.empfaenger_art == EmpfaengerArt.OEFFENTLICH for f in freigaben)


def aktive_freigaben_liste(objekt) -> list[Freigabe]:
    """The object's active Freigaben, ending first, in one query (a detail page reads them
    once for its reasons and its list of Freigaben)."""
    return list(sharing.active_freigaben(objekt).order_by("gueltig_bis", "pk"))


def offene_zugangsanfrage(*, user, objekt) -> Zugangsanfrage | None:
    if not user.is_authenticated:
        return None
    return Zugangsanfrage.objects.filter(
        content_type=ContentType.objects.get_for_model(type(objekt)),
        object_id=objekt.pk,
        antragsteller=user,
        status=Zugangsanfrage.Status.OFFEN,
    ).first()
