"""Writes of the tenants: Kommunen, Verbünde and their members, users and their groups."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import sharing
from ..models import (
    Benutzer,
    Freigabe,
    FreigabeStatus,
    Kommune,
    Rolle,
    Verbund,
)
from .benachrichtigungen import benachrichtigen, freigabe_admins
from .objekte import freigaben_aussetzen
from .protokoll import A, protokollieren


class _NurUeberDienst:
    """Marks the one service allowed to change Verbund membership (signals check it)."""

    def __init__(self):
        self._aktiv = contextvars.ContextVar("verbund_mitgliedschaft", default=False)

    @contextlib.contextmanager
    def erlaubt(self):
        token = self._aktiv.set(True)
        try:
            yield
        finally:
            self._aktiv.reset(token)

    def __bool__(self) -> bool:
        return self._aktiv.get()


MITGLIEDSCHAFT_UEBER_DIENST = _NurUeberDienst()


@transaction.atomic
def kommune_anlegen(*, name: str, slug: str, ags: str, aktiv: bool = True) -> Kommune:
    kommune = Kommune(name=name, slug=slug, ags=ags, aktiv=aktiv)
    kommune.full_clean(
        exclude=[
            "gruppe_mitglieder",
            "gruppe_mitarbeit",
            "gruppe_herausgabe",
            "gruppe_freigabe_admin",
        ]
    )
    for feld, suffix in (
        ("gruppe_mitglieder", "mitglieder"),
        ("gruppe_mitarbeit", Rolle.MITARBEIT),
        ("gruppe_herausgabe", Rolle.HERAUSGABE),
        ("gruppe_freigabe_admin", Rolle.FREIGABE_ADMIN),
    ):
        group, _created = Group.objects.get_or_create(name=f"kommune:{slug}:{suffix}")
        setattr(kommune, feld, group)
    kommune.save()
    return kommune


@transaction.atomic
def verbund_anlegen(
    *,
    name: str,
    slug: str,
    vereinbarung_titel: str,
    vereinbarung_datum: dt.date,
    mitglieder: Iterable[Kommune] = (),
) -> Verbund:
    verbund = Verbund(
        name=name,
        slug=slug,
        vereinbarung_titel=vereinbarung_titel,
        vereinbarung_datum=vereinbarung_datum,
    )
    verbund.full_clean(exclude=["gruppe"])
    verbund.gruppe, _created = Group.objects.get_or_create(name=f"verbund:{slug}")
    verbund.save()
    verbund_mitglieder_setzen(verbund=verbund, kommunen=mitglieder)
    return verbund


def _verwaltete_gruppen() -> Q:
    return (
        Q(kommune_mitglieder__isnull=False)
        | Q(kommune_mitarbeit__isnull=False)
        | Q(kommune_herausgabe__isnull=False)
        | Q(kommune_freigabe_admin__isnull=False)
        | Q(verbund__isnull=False)
        | Q(pk=sharing.public_group_id())
    )


def mitgliedschaften_soll(user: Benutzer) -> set[int]:
    soll = {sharing.public_group_id()}
    if user.kommune_id is not None:
        kommune = Kommune.objects.get(pk=user.kommune_id)
        soll.add(kommune.gruppe_mitglieder_id)
        if user.rolle in Rolle.values:
            soll.add(kommune.rollengruppen_ids()[user.rolle])
        soll |= set(Verbund.objects.filter(mitglieder=kommune).values_list("gruppe_id", flat=True))
    return soll


def mitgliedschaften_sync(user: Benutzer) -> None:
    """Keep a user's groups in step with their Kommune, role and the Kommune's Verbünde."""
    through = Benutzer.groups.through
    soll = mitgliedschaften_soll(user)
    ist = set(Group.objects.filter(_verwaltete_gruppen(), user=user).values_list("pk", flat=True))
    if ist - soll:
        through.objects.filter(benutzer_id=user.pk, group_id__in=ist - soll).delete()
    if soll - ist:
        through.objects.bulk_create(
            [through(benutzer_id=user.pk, group_id=g) for g in soll - ist], ignore_conflicts=True
        )
    if ist != soll:
        sharing.generation_erhoehen(ist ^ soll)
    sharing.forget(user)


@transaction.atomic
def benutzer_speichern(*, user: Benutzer, by: Benutzer | None = None) -> Benutzer:
    """Create or change a user; validation first, groups follow Kommune and role."""
    alt = None
    if user.pk is not None:
        alt = Benutzer.objects.filter(pk=user.pk).values("kommune_id", "rolle").first()
    user.full_clean(exclude=["password"] if not user.password else None)
    user.save()
    mitgliedschaften_sync(user)
    neu = {"kommune_id": user.kommune_id, "rolle": user.rolle}
    if alt != neu:
        protokollieren(
            aktion=A.MITGLIEDSCHAFT,
            akteur=by,
            kommune=user.kommune,
            details={"benutzer": user.get_username(), "vorher": alt, "nachher": neu},
        )
    return user


@transaction.atomic
def benutzer_anlegen(
    *,
    username: str,
    kommune: Kommune | None,
    rolle: str,
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    by: Benutzer | None = None,
) -> Benutzer:
    user = Benutzer(
        username=username,
        kommune=kommune,
        rolle=rolle or "",
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return benutzer_speichern(user=user, by=by)


@transaction.atomic
def verbund_mitglieder_setzen(
    *, verbund: Verbund, kommunen: Iterable[Kommune], by: Benutzer | None = None
) -> None:
    """Set a Verbund's members: the one audited way a Kommune joins or leaves a Verbund.

    Users follow through group membership, not object rows. Joining widens every Freigabe to
    the Verbund and leaving ends the leaver's own (VERBUND-1), so each Kommune that shares with
    the Verbund finds the change in its Protokoll and its admins are told.
    """
    verbund = Verbund.objects.select_for_update().get(pk=verbund.pk)
    vorher = set(verbund.mitglieder.values_list("pk", flat=True))
    neu = {k.pk for k in kommunen}
    with MITGLIEDSCHAFT_UEBER_DIENST.erlaubt():
        verbund.mitglieder.set(sorted(neu))  # m2m_changed keeps the group in step
    beigetreten = sorted(Kommune.objects.filter(pk__in=neu - vorher).values_list("name", flat=True))
    ausgetreten_ids = vorher - neu
    ausgetreten = sorted(
        Kommune.objects.filter(pk__in=ausgetreten_ids).values_list("name", flat=True)
    )
    details = {
        "verbund": verbund.name,
        "beigetreten": beigetreten,
        "ausgetreten": ausgetreten,
        "mitglieder": sorted(verbund.mitglieder.values_list("slug", flat=True)),
    }
    protokollieren(aktion=A.MITGLIEDSCHAFT, akteur=by, details=details)
    if not (beigetreten or ausgetreten):
        return
    # The leavers' own Freigaben to the Verbund no longer pass VERBUND-1: suspend them.
    for f in Freigabe.objects.filter(
        empfaenger_verbund=verbund,
        eigentuemer_id__in=ausgetreten_ids,
        status=FreigabeStatus.ERTEILT,
    ):
        objekt = f.objekt
        if objekt is not None:
            freigaben_aussetzen(objekt=objekt, by=by, anlass=_("Austritt aus dem Verbund"))
    teilende = Kommune.objects.filter(
        pk__in=Freigabe.objects.filter(
            empfaenger_verbund=verbund,
            status__in=[FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT],
        ).values("eigentuemer_id")
    )
    for kommune in teilende:
        protokollieren(aktion=A.MITGLIEDSCHAFT, akteur=by, kommune=kommune, details=details)
        benachrichtigen(
            empfaenger=freigabe_admins(kommune),
            ereignis="verbund_mitglieder",
            betreff=lambda: (
                _("Mitglieder des Verbunds geändert: %(verbund)s") % {"verbund": verbund}
            ),
            text=lambda: (
                _(
                    "Im Verbund „%(verbund)s“, mit dem Ihre Kommune teilt, sind beigetreten: "
                    "%(bei)s; ausgetreten: %(aus)s. Wer beitritt, sieht ab sofort alles, was an "
                    "den "
                    "Verbund freigegeben ist; wer austritt, nichts mehr davon. Prüfen Sie bitte "
                    "Ihre Freigaben an den Verbund."
                )
                % {
                    "verbund": verbund,
                    "bei": ", ".join(beigetreten) or "–",
                    "aus": ", ".join(ausgetreten) or "–",
                }
            ),
            link="/freigaben/matrix/",
        )


def verbund_gruppe_abgleichen(verbund: Verbund) -> None:
    """The Verbund's group holds exactly the users of its member Kommunen."""
    through = Benutzer.groups.through
    soll = set(
        Benutzer.objects.filter(kommune__in=verbund.mitglieder.all()).values_list("pk", flat=True)
    )
    ist = set(
        through.objects.filter(group_id=verbund.gruppe_id).values_list("benutzer_id", flat=True)
    )
    if ist - soll:
        through.objects.filter(group_id=verbund.gruppe_id, benutzer_id__in=ist - soll).delete()
    if soll - ist:
        through.objects.bulk_create(
            [through(benutzer_id=u, group_id=verbund.gruppe_id) for u in soll - ist],
            ignore_conflicts=True,
        )
    if ist != soll:
        sharing.generation_erhoehen({verbund.gruppe_id})
