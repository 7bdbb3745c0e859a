"""Reads of proposals and requests from the side of the one who made them, and of one object.

"Meine Anträge": the Freigaben a person proposed and the access requests she filed, with their
state. An object's own open proposals and requests, for its page and for withdrawing it.
Titles come only through `sharing`: a row whose object the person may no longer see shows
no title.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .. import sharing
from ..models import FREIGABE_OFFEN, Freigabe, FreigabeStatus, Zugangsanfrage

MEINE_HOECHSTENS = 200


def _vom_objekt(model, objekt) -> QuerySet:
    return model.objects.filter(
        content_type=ContentType.objects.get_for_model(objekt), object_id=objekt.pk
    )


def freigaben_offen_von(objekt) -> list[Freigabe]:
    """The object's Freigaben that are proposed, granted or suspended (what withdrawing ends)."""
    return list(
        _vom_objekt(Freigabe, objekt)
        .filter(status__in=FREIGABE_OFFEN)
        .select_related("empfaenger_kommune", "empfaenger_verbund", "beantragt_von")
        .order_by("pk")
    )


def freigaben_beantragt_von(objekt) -> list[Freigabe]:
    """The object's proposals waiting for a decision (shown beside its active Freigaben)."""
    return [f for f in freigaben_offen_von(objekt) if f.status == FreigabeStatus.BEANTRAGT]


def anfragen_offen_von(objekt) -> list[Zugangsanfrage]:
    return list(
        _vom_objekt(Zugangsanfrage, objekt)
        .filter(status=Zugangsanfrage.Status.OFFEN)
        .select_related("kommune")
        .order_by("gestellt_am", "pk")
    )


def _sichtbare_titel(user, zeilen) -> None:
    """Give each row `objekt_sichtbar`: its object when `user` may see it, else None
    (one query per kind of object)."""
    nach_art: dict[int, set[int]] = {}
    for z in zeilen:
        nach_art.setdefault(z.content_type_id, set()).add(z.object_id)
    sichtbar: dict[tuple[int, int], object] = {}
    for ct_id, ids in nach_art.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for obj in sharing.visible(user, model._default_manager.filter(pk__in=ids), "view"):
            sichtbar[(ct_id, obj.pk)] = obj
    for z in zeilen:
        z.objekt_sichtbar = sichtbar.get((z.content_type_id, z.object_id))


def meine_antraege(*, user) -> dict[str, list]:
    """The Freigaben `user` proposed and the access requests she filed, newest first."""
    freigaben = list(
        Freigabe.objects.filter(beantragt_von=user)
        .select_related("empfaenger_kommune", "empfaenger_verbund", "entschieden_von")
        .order_by("-beantragt_am", "-pk")[:MEINE_HOECHSTENS]
    )
    anfragen = list(
        Zugangsanfrage.objects.filter(antragsteller=user)
        .select_related("eigentuemer", "freigabe")
        .order_by("-gestellt_am", "-pk")[:MEINE_HOECHSTENS]
    )
    _sichtbare_titel(user, [*freigaben, *anfragen])
    return {
        "freigaben_offen": [f for f in freigaben if f.status == FreigabeStatus.BEANTRAGT],
        "freigaben_entschieden": [f for f in freigaben if f.status != FreigabeStatus.BEANTRAGT],
        "anfragen_offen": [a for a in anfragen if a.status == Zugangsanfrage.Status.OFFEN],
        "anfragen_entschieden": [a for a in anfragen if a.status != Zugangsanfrage.Status.OFFEN],
    }
