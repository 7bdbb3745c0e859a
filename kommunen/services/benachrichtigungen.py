"""Notifications: the outbox writer, read marks, the e-mail setting, fan-out of new Freigaben
(the weekly digest is `wochenzusammenfassung.py`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from common.aufgaben import nach_commit_einreihen

from .. import selectors
from ..models import (
    Benachrichtigung,
    Benutzer,
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Kommune,
    Rolle,
)

log = logging.getLogger(__name__)

EINSTELLUNGEN = ("sofort", "woechentlich", "aus")
FANOUT_STUECK = 500
BETREFF_MAX = 200
EREIGNIS_NEUE_FREIGABE = "freigabe_neu"
EREIGNIS_WOCHE = "wochenzusammenfassung"


# --- the user's own notifications --------------------------------------------------------------


def _gezaehlt_vergessen(user) -> None:
    """The unread count read with the request's user (kommunen.backends) is old now."""
    if hasattr(user, "_wv_ungelesen"):
        delattr(user, "_wv_ungelesen")


@transaction.atomic
def benachrichtigung_gelesen(*, user: Benutzer, pk: int) -> int:
    """Mark one of the user's notifications read; another user's id changes nothing."""
    _gezaehlt_vergessen(user)
    return Benachrichtigung.objects.filter(empfaenger=user, pk=pk, gelesen_am__isnull=True).update(
        gelesen_am=timezone.now()
    )


@transaction.atomic
def benachrichtigungen_alle_gelesen(*, user: Benutzer, art: str = "") -> int:
    """Mark the user's unread notifications read: all of them, or those of one kind (what a
    filtered page shows)."""
    _gezaehlt_vergessen(user)
    return (
        selectors.benachrichtigungen(user=user, art=art)
        .filter(gelesen_am__isnull=True)
        .update(gelesen_am=timezone.now())
    )


@transaction.atomic
def benachrichtigung_einstellen(*, user: Benutzer, wert: str) -> Benutzer:
    """Set how the user gets e-mail; what is still undelivered follows the new setting."""
    if wert not in EINSTELLUNGEN:
        raise ValidationError(
            {"benachrichtigung": _("Bitte eine der angebotenen Optionen wählen.")}
        )
    # update(), not save(): no other field of the user may change through this form.
    Benutzer.objects.filter(pk=user.pk).update(benachrichtigung=wert)
    user.benachrichtigung = wert
    # Rows waiting for a digest go out with the next re-send run when switched to
    # "immediately", and are no longer mailed when switched off.
    Benachrichtigung.objects.filter(empfaenger=user, zugestellt_am__isnull=True).exclude(
        ereignis__startswith=EREIGNIS_WOCHE
    ).update(mail=wert)
    return user


def erreichbar(empfaenger) -> list[Benutzer]:
    """The users who may be notified now: active, once each, and not of a deactivated
    Kommune (its users get no notices and no mail until it is active again). Platform
    operators without a Kommune stay."""
    nutzer = {u.pk: u for u in empfaenger if u.is_active}
    kommunen = {u.kommune_id for u in nutzer.values() if u.kommune_id is not None}
    inaktiv = (
        set(Kommune.objects.filter(pk__in=kommunen, aktiv=False).values_list("pk", flat=True))
        if kommunen
        else set()
    )
    return [u for u in nutzer.values() if u.kommune_id not in inaktiv]


def kommune_aktiv_q(prefix: str = "") -> Q:
    """Users of an active Kommune, or of none (platform operators)."""
    return Q(**{f"{prefix}kommune__isnull": True}) | Q(**{f"{prefix}kommune__aktiv": True})


# --- a new Freigabe to my city -------------------------------------------------------------


def _empfaenger_nutzer(f: Freigabe):
    """Active users of the recipient Kommune(s), never those of the owner."""
    qs = Benutzer.objects.filter(is_active=True, kommune__aktiv=True).exclude(
        kommune_id=f.eigentuemer_id
    )
    if f.empfaenger_art == EmpfaengerArt.KOMMUNE:
        return qs.filter(kommune_id=f.empfaenger_kommune_id)
    if f.empfaenger_art == EmpfaengerArt.VERBUND:
        return qs.filter(kommune__verbuende=f.empfaenger_verbund_id)
    return qs


def neue_freigabe_melden(*, freigabe: Freigabe, ausser: Benutzer | None = None) -> None:
    """Tell the recipients of a just granted Freigabe; call inside the granting transaction.

    To one Kommune the rows are written at once (a handful of users, same transaction as the
    grant). To a Verbund or the public the fan-out may reach thousands of users, so it runs in
    a task queued on commit and granting stays fast.
    """
    if freigabe.empfaenger_art == EmpfaengerArt.KOMMUNE:
        freigabe_empfaenger_benachrichtigen(freigabe_id=freigabe.pk, ausser_id=_pk(ausser))
        return
    from ..tasks import neue_freigabe_verteilen

    # Owed until `verteilt_am` is set: if queueing fails, `verteilungen_nachholen` does it.
    nach_commit_einreihen(neue_freigabe_verteilen, freigabe.pk, _pk(ausser))


def _pk(user) -> int | None:
    return user.pk if user is not None else None


def freigabe_empfaenger_benachrichtigen(*, freigabe_id: int, ausser_id: int | None = None) -> int:
    """Write one notification per recipient user; safe to run twice (one row per user)."""

    f = (
        Freigabe.objects.select_related("eigentuemer", "empfaenger_kommune", "empfaenger_verbund")
        .filter(pk=freigabe_id, status=FreigabeStatus.ERTEILT)
        .first()
    )
    if f is None:  # revoked or gone before the task ran: nothing to announce
        return 0
    objekt = f.objekt
    if objekt is None:
        return 0
    ereignis = f"{EREIGNIS_NEUE_FREIGABE}:{f.pk}"
    get_url = getattr(objekt, "get_absolute_url", None)
    link = get_url() if get_url else ""
    schon = Q(ereignis=ereignis)
    if link:
        # The same object reached through another Freigabe about the same time (a direct one
        # and a Verbund's): who has not yet read the first notice is not told twice.
        schon |= selectors.art_q(EREIGNIS_NEUE_FREIGABE) & Q(link=link, gelesen_am__isnull=True)
    gemeldet = Benachrichtigung.objects.filter(schon).values("empfaenger_id")
    nutzer = _empfaenger_nutzer(f).exclude(pk__in=gemeldet)
    if ausser_id is not None:
        nutzer = nutzer.exclude(pk=ausser_id)
    # Rendered once per language here, not per batch.
    betreff = in_sprachen(lambda: _("Neu für Sie freigegeben: %(titel)s") % {"titel": objekt})
    text = in_sprachen(
        lambda: (
            _(
                "%(eigentuemer)s teilt „%(titel)s“ mit %(an)s (%(umfang)s), "
                "gültig vom %(ab)s bis %(bis)s."
            )
            % {
                "eigentuemer": f.eigentuemer,
                "titel": objekt,
                "an": f.empfaenger_bezeichnung,
                "umfang": f.get_umfang_display(),
                # A Freigabe may start later: the recipients learn from when they can open it.
                "ab": f.gueltig_ab.strftime("%d.%m.%Y"),
                "bis": f.gueltig_bis.strftime("%d.%m.%Y") if f.gueltig_bis else _("unbefristet"),
            }
        )
    )
    geschrieben = 0
    stapel: list[Benutzer] = []
    for user in nutzer.order_by("pk").iterator(chunk_size=FANOUT_STUECK):
        stapel.append(user)
        if len(stapel) >= FANOUT_STUECK:
            geschrieben += _stapel_schreiben(benachrichtigen, stapel, ereignis, betreff, text, link)
            stapel = []
    if stapel:
        geschrieben += _stapel_schreiben(benachrichtigen, stapel, ereignis, betreff, text, link)
    Freigabe.objects.filter(pk=f.pk, verteilt_am__isnull=True).update(verteilt_am=timezone.now())
    return geschrieben


VERTEILUNG_NACHHOLEN_NACH = dt.timedelta(minutes=5)


def verteilungen_nachholen(*, jetzt: dt.datetime | None = None) -> int:
    """Fan-outs still owed (granted, not announced some minutes after the grant: the broker
    was down or a worker died mid-way): run them here. Safe to run twice."""
    jetzt = jetzt or timezone.now()
    offen = Freigabe.objects.filter(
        status=FreigabeStatus.ERTEILT,
        verteilt_am__isnull=True,
        entschieden_am__lt=jetzt - VERTEILUNG_NACHHOLEN_NACH,
    ).values_list("pk", flat=True)
    geschrieben = 0
    for pk in list(offen[:500]):
        geschrieben += freigabe_empfaenger_benachrichtigen(freigabe_id=pk)
    return geschrieben


def _stapel_schreiben(benachrichtigen, stapel, ereignis, betreff, text, link) -> int:
    """One batch of a fan-out; `betreff` and `text` are in_sprachen() dicts."""
    with transaction.atomic():
        return len(
            benachrichtigen(
                empfaenger=stapel,
                ereignis=ereignis,
                betreff=lambda: betreff.get(get_language(), betreff[settings.LANGUAGE_CODE]),
                text=lambda: text.get(get_language(), text[settings.LANGUAGE_CODE]),
                link=link,
            )
        )


# --- the outbox ------------------------------------------------------------------------------


Satz = str | Callable[[], str]


def in_sprachen(satz: Satz) -> dict[str, str]:
    """A notice's words in the portal's language and in each other one (for their pages).

    Given a callable, it is run under each language, so that the gettext strings, the choice
    labels and the names with an English form inside it come out in that language; a plain
    string is the same in all."""
    if not callable(satz):
        return {settings.LANGUAGE_CODE: str(satz)}
    ergebnis = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            ergebnis[code] = str(satz())
    return ergebnis


def benachrichtigen(
    *, empfaenger: Iterable[Benutzer], ereignis: str, betreff: Satz, text: Satz, link: str = ""
) -> list[Benachrichtigung]:
    """Write outbox rows in the caller's transaction; e-mail goes out after commit.

    `betreff` and `text` are best given as callables (`lambda: _("…") % {…}`): the row then
    keeps them in every language of the portal, and each reader sees her page's language
    whoever caused the notice; the mail goes out in the portal's language."""
    betreffe, texte = in_sprachen(betreff), in_sprachen(text)
    haupt = settings.LANGUAGE_CODE
    uebersetzungen = {
        code: {"betreff": betreffe[code][:BETREFF_MAX], "text": texte.get(code, texte[haupt])}
        for code in betreffe
        if code != haupt
    }
    rows = Benachrichtigung.objects.bulk_create(
        [
            Benachrichtigung(
                empfaenger=u,
                ereignis=ereignis,
                betreff=betreffe[haupt][:BETREFF_MAX],
                text=texte[haupt],
                uebersetzungen=uebersetzungen,
                link=link,
                mail=u.benachrichtigung,
            )
            for u in erreichbar(empfaenger)
        ]
    )
    sofort = [b.pk for b in rows if b.mail == "sofort" and b.empfaenger.email]
    if sofort:
        from ..tasks import benachrichtigungen_zustellen

        # Undelivered rows stay owed: if queueing fails, `benachrichtigungen_nachsenden` sends.
        nach_commit_einreihen(benachrichtigungen_zustellen, sofort)
    return rows


def freigabe_admins(kommune: Kommune):
    return Benutzer.objects.filter(kommune=kommune, rolle=Rolle.FREIGABE_ADMIN, is_active=True)


def objekt_link(objekt) -> str:
    get_url = getattr(objekt, "get_absolute_url", None)
    return get_url() if get_url else ""
