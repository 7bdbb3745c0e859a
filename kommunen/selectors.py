"""Reads of the sharing core: inbox, Protokoll, notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Benachrichtigung, Freigabe, FreigabeStatus, Kommune, Protokoll, Zugangsanfrage


def eingang_zaehlen(*, kommune: Kommune) -> dict[str, int]:
    return {
        "freigaben": Freigabe.objects.filter(
            eigentuemer=kommune, status=FreigabeStatus.BEANTRAGT
        ).count(),
        "anfragen": Zugangsanfrage.objects.filter(
            eigentuemer=kommune, status=Zugangsanfrage.Status.OFFEN
        ).count(),
    }


def protokoll_der_kommune(*, kommune: Kommune) -> QuerySet[Protokoll]:
    return Protokoll.objects.filter(kommune=kommune).select_related("akteur_kommune")


def benachrichtigungen(*, user) -> QuerySet[Benachrichtigung]:
    return Benachrichtigung.objects.filter(empfaenger=user)
