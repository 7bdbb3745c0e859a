"""Writes of the tenant and sharing core: Kommunen, Verbünde, users, Freigaben, Protokoll."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules, sharing
from .models import (
    FREIGABE_OFFEN,
    Aufgabenlauf,
    Benachrichtigung,
    Benutzer,
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Kommune,
    Protokoll,
    Rolle,
    Umfang,
    Verbund,
    Zugangsanfrage,
    standard_gueltig_bis,
)
from .rules import RegelVerstoss

A = Protokoll.Aktion


class KeineBerechtigung(PermissionDenied):
    pass


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


# --- Protokoll and notifications -------------------------------------------------------------


def protokollieren(
    *,
    aktion: str,
    akteur=None,
    objekt=None,
    kommune: Kommune | None = None,
    freigabe: Freigabe | None = None,
    details: dict | None = None,
) -> Protokoll:
    """Append one row to the audit log, in the caller's transaction."""
    if kommune is None and objekt is not None:
        kommune = objekt.kommune
    if kommune is None and freigabe is not None:
        kommune = freigabe.eigentuemer
    angemeldet = akteur is not None and akteur.is_authenticated
    return Protokoll.objects.create(
        aktion=aktion,
        kommune=kommune,
        akteur=akteur if angemeldet else None,
        akteur_name=akteur.get_username() if angemeldet else "",
        akteur_kommune_id=getattr(akteur, "kommune_id", None) if angemeldet else None,
        content_type=ContentType.objects.get_for_model(objekt) if objekt is not None else None,
        object_id=objekt.pk if objekt is not None else None,
        objekt_titel=str(objekt)[:300] if objekt is not None else "",
        freigabe_id_ref=freigabe.pk if freigabe is not None else None,
        details=details or {},
    )


def benachrichtigen(
    *, empfaenger: Iterable[Benutzer], ereignis: str, betreff: str, text: str, link: str = ""
) -> list[Benachrichtigung]:
    """Write outbox rows in the caller's transaction; e-mail goes out after commit."""
    from .services_benachrichtigung import erreichbar

    rows = Benachrichtigung.objects.bulk_create(
        [
            Benachrichtigung(
                empfaenger=u,
                ereignis=ereignis,
                betreff=betreff[:200],
                text=text,
                link=link,
                mail=u.benachrichtigung,
            )
            for u in erreichbar(empfaenger)
        ]
    )
    sofort = [b.pk for b in rows if b.mail == "sofort" and b.empfaenger.email]
    if sofort:
        from .tasks import benachrichtigungen_zustellen

        transaction.on_commit(lambda: benachrichtigungen_zustellen.delay(sofort))
    return rows


def freigabe_admins(kommune: Kommune):
    return Benutzer.objects.filter(kommune=kommune, rolle=Rolle.FREIGABE_ADMIN, is_active=True)


def _objekt_link(objekt) -> str:
    get_url = getattr(objekt, "get_absolute_url", None)
    return get_url() if get_url else ""


# --- Kommunen, Verbünde, users ---------------------------------------------------------------


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
            _freigaben_aussetzen(objekt=objekt, by=by, anlass=_("Austritt aus dem Verbund"))
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
            betreff=_("Mitglieder des Verbunds geändert: %(verbund)s") % {"verbund": verbund},
            text=_(
                "Im Verbund „%(verbund)s“, mit dem Ihre Kommune teilt, sind beigetreten: "
                "%(bei)s; ausgetreten: %(aus)s. Wer beitritt, sieht ab sofort alles, was an den "
                "Verbund freigegeben ist; wer austritt, nichts mehr davon. Prüfen Sie bitte Ihre "
                "Freigaben an den Verbund."
            )
            % {
                "verbund": verbund,
                "bei": ", ".join(beigetreten) or "–",
                "aus": ", ".join(ausgetreten) or "–",
            },
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


# --- Freigaben -------------------------------------------------------------------------------


def berechtigungen_abgleichen(*, objekt, by=None, anlass: str = "") -> tuple[int, int]:
    """sync_permissions plus a Protokoll row when rows changed."""
    added, removed = sharing.sync_permissions(objekt)
    if added or removed:
        protokollieren(
            aktion=A.BERECHTIGUNG,
            akteur=by,
            objekt=objekt,
            details={"hinzugefuegt": added, "entzogen": removed, "anlass": anlass},
        )
    return added, removed


def _pruefen_oder_abbrechen(freigabe: Freigabe, objekt, *, mit_version: bool = False) -> None:
    verstoesse = rules.check(freigabe, objekt, freigabe.umstaende(objekt))
    if not mit_version:
        verstoesse = rules.sperrende(verstoesse)
    if verstoesse:
        raise RegelVerstoss(verstoesse)


def _ist_admin_von(user, kommune_id: int) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.kommune_id == kommune_id
        and user.rolle == Rolle.FREIGABE_ADMIN
    )


def _entscheider_pruefen(by, kommune_id: int, objekt, meldung: str) -> None:
    """Only a Freigabe-Admin of the owner Kommune, holding share_* on the object, decides."""
    if not (_ist_admin_von(by, kommune_id) and sharing.can(by, "share", objekt)):
        raise KeineBerechtigung(meldung)


def _lade_objekt(freigabe_oder_anfrage):
    """The shared object, locked (sharing.lock): the first step of the one lock order."""
    objekt = freigabe_oder_anfrage.objekt
    if objekt is None:
        raise ValidationError(_("Das freigegebene Objekt gibt es nicht mehr."))
    return sharing.lock(objekt)


@transaction.atomic
def freigabe_beantragen(
    *,
    objekt,
    by: Benutzer,
    empfaenger_art: str,
    umfang: str,
    empfaenger_kommune: Kommune | None = None,
    empfaenger_verbund: Verbund | None = None,
    rechtsgrundlage: str = "",
    auflagen: str = "",
    gueltig_ab: dt.date | None = None,
    gueltig_bis: dt.date | None = None,
    weitergabe_erlaubt: bool = False,
) -> Freigabe:
    """Propose sharing `objekt`; the owner's Freigabe-Admin decides."""
    objekt = sharing.lock(objekt)
    if not sharing.can(by, "share", objekt):
        raise KeineBerechtigung(_("Sie dürfen für dieses Objekt keine Freigaben verwalten."))
    # Django's own message for a missing foreign key is not translated: say it in German.
    if (
        empfaenger_kommune is not None
        and not Kommune.objects.filter(pk=empfaenger_kommune.pk).exists()
    ):
        raise ValidationError({"empfaenger_kommune": _("Diese Kommune ist nicht bekannt.")})
    if (
        empfaenger_verbund is not None
        and not Verbund.objects.filter(pk=empfaenger_verbund.pk).exists()
    ):
        raise ValidationError({"empfaenger_verbund": _("Dieser Verbund ist nicht bekannt.")})
    gueltig_ab = gueltig_ab or timezone.localdate()
    freigabe = Freigabe(
        objekt=objekt,
        eigentuemer_id=objekt.kommune_id,
        empfaenger_art=empfaenger_art,
        empfaenger_kommune=empfaenger_kommune,
        empfaenger_verbund=empfaenger_verbund,
        umfang=umfang,
        rechtsgrundlage=rechtsgrundlage,
        auflagen=auflagen,
        gueltig_ab=gueltig_ab,
        gueltig_bis=gueltig_bis or standard_gueltig_bis(gueltig_ab),
        weitergabe_erlaubt=weitergabe_erlaubt,
        beantragt_von=by,
        status=FreigabeStatus.BEANTRAGT,
    )
    freigabe.full_clean(exclude=["content_type", "object_id", "beantragt_von"])
    if empfaenger_kommune is not None and not empfaenger_kommune.aktiv:
        raise ValidationError({"empfaenger_kommune": _("Diese Kommune ist nicht aktiv.")})
    if freigabe.gueltig_bis < timezone.localdate():
        raise ValidationError(
            {"gueltig_bis": _("„Gültig bis“ liegt in der Vergangenheit (FRIST-1).")}
        )
    doppelt = _offene_gleiche(freigabe)
    if doppelt is not None:
        raise ValidationError(
            _("Für diesen Empfänger und Umfang gibt es schon Freigabe Nr. %(nr)s (%(status)s).")
            % {"nr": doppelt.pk, "status": doppelt.get_status_display()}
        )
    _pruefen_oder_abbrechen(freigabe, objekt)
    freigabe.save()
    protokollieren(
        aktion=A.FREIGABE_BEANTRAGT,
        akteur=by,
        objekt=objekt,
        freigabe=freigabe,
        details={
            "empfaenger": freigabe.empfaenger_bezeichnung,
            "umfang": umfang,
            "gueltig_bis": str(freigabe.gueltig_bis),
        },
    )
    benachrichtigen(
        empfaenger=freigabe_admins(objekt.kommune).exclude(pk=by.pk),
        ereignis="freigabe_beantragt",
        betreff=_("Freigabe zu entscheiden: %(titel)s") % {"titel": objekt},
        text=_("%(wer)s beantragt, „%(titel)s“ mit %(an)s zu teilen (%(umfang)s).")
        % {
            "wer": by.get_full_name() or by.get_username(),
            "titel": objekt,
            "an": freigabe.empfaenger_bezeichnung,
            "umfang": freigabe.get_umfang_display(),
        },
        link="/freigaben/eingang/",
    )
    return freigabe


def _offene_gleiche(freigabe: Freigabe) -> Freigabe | None:
    """The open Freigabe of the same object, recipient and scope, if any (one may stand)."""
    return (
        Freigabe.objects.filter(
            content_type=freigabe.content_type,
            object_id=freigabe.object_id,
            empfaenger_art=freigabe.empfaenger_art,
            empfaenger_kommune_id=freigabe.empfaenger_kommune_id,
            empfaenger_verbund_id=freigabe.empfaenger_verbund_id,
            umfang=freigabe.umfang,
            status__in=FREIGABE_OFFEN,
        )
        .exclude(pk=freigabe.pk)
        .first()
    )


def _gesperrt(freigabe: Freigabe) -> Freigabe:
    """Re-read the Freigabe under a row lock so that concurrent decisions serialise."""
    return Freigabe.objects.select_for_update().get(pk=freigabe.pk)


@transaction.atomic
def freigabe_erteilen(*, freigabe: Freigabe, by: Benutzer) -> Freigabe:
    """Approve a proposed (or suspended, or documents-withheld) Freigabe."""
    objekt = _lade_objekt(freigabe)
    f = _gesperrt(freigabe)
    _entscheider_pruefen(
        by,
        f.eigentuemer_id,
        objekt,
        _("Nur eine Freigabe-Admin der besitzenden Kommune kann Freigaben erteilen."),
    )
    erneut = f.status == FreigabeStatus.ERTEILT and f.dokumente_zurueckgehalten
    war_beantragt = f.status == FreigabeStatus.BEANTRAGT
    if f.status not in (FreigabeStatus.BEANTRAGT, FreigabeStatus.AUSGESETZT) and not erneut:
        raise ValidationError(
            _("Freigabe Nr. %(nr)s ist bereits %(status)s und kann nicht mehr erteilt werden.")
            % {"nr": f.pk, "status": f.get_status_display()}
        )
    f.entschieden_von = by
    f.entschieden_am = timezone.now()
    f.dokumente_zurueckgehalten = False
    _pruefen_oder_abbrechen(f, objekt, mit_version=True)
    if f.gueltig_bis and f.gueltig_bis < timezone.localdate():
        raise ValidationError(
            _("FRIST-1: Die Frist dieser Freigabe ist abgelaufen. Bitte neu beantragen.")
        )
    if f.empfaenger_kommune_id is not None and not f.empfaenger_kommune.aktiv:
        raise ValidationError(
            {"empfaenger_kommune": _("Die Empfänger-Kommune ist nicht (mehr) aktiv.")}
        )
    f.status = FreigabeStatus.ERTEILT
    f.beendet_am = None
    f.beendet_grund = ""
    f.save()
    protokollieren(
        aktion=A.FREIGABE_ERTEILT,
        akteur=by,
        objekt=objekt,
        freigabe=f,
        details={"erneute_pruefung": erneut, "empfaenger": f.empfaenger_bezeichnung},
    )
    berechtigungen_abgleichen(objekt=objekt, by=by, anlass=f"Freigabe {f.pk} erteilt")
    benachrichtigen(
        empfaenger=[f.beantragt_von],
        ereignis="freigabe_entschieden",
        betreff=_("Freigabe erteilt: %(titel)s") % {"titel": objekt},
        text=_("Freigabe Nr. %(nr)s an %(an)s wurde erteilt.")
        % {"nr": f.pk, "an": f.empfaenger_bezeichnung},
        link=_objekt_link(objekt),
    )
    if war_beantragt:  # a re-approval (VERSION-1, suspension) is no news to the recipients
        from .services_benachrichtigung import neue_freigabe_melden

        neue_freigabe_melden(freigabe=f)
    return f


@transaction.atomic
def freigabe_ablehnen(*, freigabe: Freigabe, by: Benutzer, begruendung: str) -> Freigabe:
    objekt = _lade_objekt(freigabe)
    f = _gesperrt(freigabe)
    _entscheider_pruefen(
        by,
        f.eigentuemer_id,
        objekt,
        _("Nur eine Freigabe-Admin der besitzenden Kommune kann Freigaben ablehnen."),
    )
    if f.status != FreigabeStatus.BEANTRAGT:
        raise ValidationError(
            _("Freigabe Nr. %(nr)s ist bereits %(status)s.")
            % {"nr": f.pk, "status": f.get_status_display()}
        )
    if not begruendung.strip():
        raise ValidationError(
            {"begruendung": _("Bitte eine Begründung für die Ablehnung angeben.")}
        )
    f.status = FreigabeStatus.ABGELEHNT
    f.entschieden_von = by
    f.entschieden_am = timezone.now()
    f.begruendung = begruendung.strip()
    f.save()
    protokollieren(
        aktion=A.FREIGABE_ABGELEHNT,
        akteur=by,
        objekt=objekt,
        freigabe=f,
        details={"begruendung": f.begruendung},
    )
    benachrichtigen(
        empfaenger=[f.beantragt_von],
        ereignis="freigabe_entschieden",
        betreff=_("Freigabe abgelehnt: %(titel)s") % {"titel": objekt},
        text=_("Freigabe Nr. %(nr)s wurde abgelehnt: %(grund)s")
        % {"nr": f.pk, "grund": f.begruendung},
        link=_objekt_link(objekt),
    )
    return f


@transaction.atomic
def freigabe_widerrufen(*, freigabe: Freigabe, by: Benutzer, grund: str = "") -> Freigabe:
    """Revoke: effective on the very next permission check."""
    objekt = _lade_objekt(freigabe)
    f = _gesperrt(freigabe)
    _entscheider_pruefen(
        by,
        f.eigentuemer_id,
        objekt,
        _("Nur eine Freigabe-Admin der besitzenden Kommune kann Freigaben widerrufen."),
    )
    if f.status not in (FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT):
        raise ValidationError(
            _("Freigabe Nr. %(nr)s ist %(status)s und kann nicht widerrufen werden.")
            % {"nr": f.pk, "status": f.get_status_display()}
        )
    f.status = FreigabeStatus.WIDERRUFEN
    f.beendet_von = by
    f.beendet_am = timezone.now()
    f.beendet_grund = grund.strip()
    f.save()
    protokollieren(
        aktion=A.FREIGABE_WIDERRUFEN,
        akteur=by,
        objekt=objekt,
        freigabe=f,
        details={"grund": f.beendet_grund},
    )
    berechtigungen_abgleichen(objekt=objekt, by=by, anlass=f"Freigabe {f.pk} widerrufen")
    return f


def freigaben_ablaufen(*, heute: dt.date | None = None) -> int:
    """Record the end of every granted Freigabe whose valid-until date has passed.

    Access already ended at midnight: visible() and can() count a permission row only within
    its Freigabe's dates. This task tidies up (status, rows, Protokoll) and tells the owner's
    admins. Safe to run twice at once.
    """
    heute = heute or timezone.localdate()
    faellig = list(
        Freigabe.objects.filter(
            status__in=[FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT], gueltig_bis__lt=heute
        ).values_list("pk", flat=True)
    )
    erledigt = 0
    for pk in faellig:
        with transaction.atomic():
            kandidat = Freigabe.objects.filter(pk=pk).first()
            objekt = kandidat.objekt if kandidat is not None else None
            if objekt is not None:
                objekt = sharing.lock(objekt)  # the one lock order: object, then Freigabe
            f = (
                Freigabe.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=[FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT])
                .select_related("eigentuemer")
                .first()
            )
            if f is None:
                continue
            f.status = FreigabeStatus.ABGELAUFEN
            f.beendet_am = timezone.now()
            f.beendet_grund = _("Frist bis %(bis)s abgelaufen (FRIST-1).") % {
                "bis": f.gueltig_bis.strftime("%d.%m.%Y")
            }
            f.save(update_fields=["status", "beendet_am", "beendet_grund"])
            if objekt is not None:
                protokollieren(aktion=A.FREIGABE_ABGELAUFEN, objekt=objekt, freigabe=f)
                berechtigungen_abgleichen(objekt=objekt, anlass=f"Freigabe {f.pk} abgelaufen")
                benachrichtigen(
                    empfaenger=freigabe_admins(f.eigentuemer),
                    ereignis="freigabe_abgelaufen",
                    betreff=_("Freigabe abgelaufen: %(titel)s") % {"titel": objekt},
                    text=_(
                        "Freigabe Nr. %(nr)s an %(an)s endete am %(bis)s (FRIST-1). Soll weiter "
                        "geteilt werden, beantragen Sie bitte eine neue Freigabe."
                    )
                    % {
                        "nr": f.pk,
                        "an": f.empfaenger_bezeichnung,
                        "bis": f.gueltig_bis.strftime("%d.%m.%Y"),
                    },
                    link=_objekt_link(objekt),
                )
            erledigt += 1
    return erledigt


# How far back a start date is still acted on, so that a worker outage loses nothing.
BEGINN_NACHHOLEN_TAGE = 7


def freigaben_beginnen(*, heute: dt.date | None = None) -> int:
    """Re-check the objects of Freigaben that begin today, approved in advance.

    Their rows exist since approval and count from the first day by themselves (visible()
    reads their dates). This is defence in depth only: an object changed around the services
    since approval loses the rows its rules no longer allow. Idempotent.
    """
    heute = heute or timezone.localdate()
    faellig = (
        Freigabe.objects.filter(
            status=FreigabeStatus.ERTEILT,
            gueltig_ab__lte=heute,
            gueltig_ab__gt=heute - dt.timedelta(days=BEGINN_NACHHOLEN_TAGE),
        )
        .filter(Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=heute))
        .values_list("content_type_id", "object_id")
        .distinct()
    )
    geaendert = 0
    for ct_id, object_id in faellig:
        model = ContentType.objects.get_for_id(ct_id).model_class()
        with transaction.atomic():
            objekt = model._default_manager.filter(pk=object_id).first()
            if objekt is None:
                continue
            added, removed = berechtigungen_abgleichen(objekt=objekt, anlass="Freigabe beginnt")
            geaendert += bool(added or removed)
    return geaendert


ERINNERUNG_TAGE = 14


def ablauf_erinnern(*, heute: dt.date | None = None) -> int:
    """Tell the owner's admins, once, that a Freigabe ends within 14 days."""
    heute = heute or timezone.localdate()
    faellig = list(
        Freigabe.objects.filter(
            status=FreigabeStatus.ERTEILT,
            erinnert_am__isnull=True,
            gueltig_bis__gte=heute,
            gueltig_bis__lte=heute + dt.timedelta(days=ERINNERUNG_TAGE),
        ).values_list("pk", flat=True)
    )
    erinnert = 0
    for pk in faellig:
        with transaction.atomic():
            f = (
                Freigabe.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, erinnert_am__isnull=True, status=FreigabeStatus.ERTEILT)
                .select_related("eigentuemer")
                .first()
            )
            if f is None:
                continue
            objekt = f.objekt
            f.erinnert_am = timezone.now()
            f.save(update_fields=["erinnert_am"])
            protokollieren(aktion=A.FREIGABE_ERINNERT, objekt=objekt, freigabe=f)
            benachrichtigen(
                empfaenger=freigabe_admins(f.eigentuemer),
                ereignis="ablauf_erinnerung",
                betreff=_("Freigabe läuft am %(bis)s ab: %(titel)s")
                % {"bis": f.gueltig_bis.strftime("%d.%m.%Y"), "titel": objekt},
                text=_(
                    "Freigabe Nr. %(nr)s an %(an)s endet am %(bis)s. Soll sie verlängert werden, "
                    "beantragen Sie bitte eine neue Freigabe."
                )
                % {
                    "nr": f.pk,
                    "an": f.empfaenger_bezeichnung,
                    "bis": f.gueltig_bis.strftime("%d.%m.%Y"),
                },
                link="/freigaben/eingang/",
            )
            erinnert += 1
    return erinnert


# --- changes of shared objects -----------------------------------------------------------


def _freigaben_von(objekt, *status: str):
    return Freigabe.objects.filter(
        content_type=ContentType.objects.get_for_model(objekt),
        object_id=objekt.pk,
        status__in=status,
    )


def _freigaben_aussetzen(*, objekt, by, anlass: str) -> list[Freigabe]:
    """Re-check the granted Freigaben of `objekt` (locked by the caller or here, first) and
    suspend those that fail a rule now; their rights go, the owner's admins are told."""
    objekt = sharing.lock(objekt)
    ausgesetzt = []
    for f in _freigaben_von(objekt, FreigabeStatus.ERTEILT).select_for_update():
        verstoesse = rules.sperrende(rules.check(f, objekt, f.umstaende(objekt)))
        if not verstoesse:
            continue
        f.status = FreigabeStatus.AUSGESETZT
        f.beendet_am = timezone.now()
        f.beendet_grund = "\n".join(str(v) for v in verstoesse)
        f.save(update_fields=["status", "beendet_am", "beendet_grund"])
        protokollieren(
            aktion=A.FREIGABE_AUSGESETZT,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={"regeln": [v.rule for v in verstoesse]},
        )
        ausgesetzt.append(f)
    if ausgesetzt:
        berechtigungen_abgleichen(objekt=objekt, by=by, anlass=anlass)
        benachrichtigen(
            empfaenger=freigabe_admins(objekt.kommune),
            ereignis="freigabe_ausgesetzt",
            betreff=_("Freigaben ausgesetzt: %(titel)s") % {"titel": objekt},
            text=_("Anlass: %(anlass)s. Ausgesetzt wurden:\n%(liste)s")
            % {
                "anlass": anlass,
                "liste": "\n".join(
                    f"Nr. {f.pk} ({f.empfaenger_bezeichnung}): {f.beendet_grund}"
                    for f in ausgesetzt
                ),
            },
            link=_objekt_link(objekt),
        )
    return ausgesetzt


@transaction.atomic
def rechtliches_geaendert(*, objekt, by, vorher: dict) -> list[Freigabe]:
    """Re-check active Freigaben after the legal metadata changed; suspend those that fail."""
    nachher = objekt.legal_snapshot()
    if vorher == nachher:
        return []
    protokollieren(
        aktion=A.RECHTLICHES_GEAENDERT,
        akteur=by,
        objekt=objekt,
        details={k: [vorher.get(k), v] for k, v in nachher.items() if vorher.get(k) != v},
    )
    return _freigaben_aussetzen(objekt=objekt, by=by, anlass=_("rechtliche Angaben geändert"))


@transaction.atomic
def dokumente_geaendert(*, objekt, by) -> list[Freigabe]:
    """VERSION-1: a document was added or replaced; withhold documents until re-approved."""
    type(objekt)._default_manager.filter(pk=objekt.pk).update(dokumente_geaendert_am=timezone.now())
    betroffen = list(
        _freigaben_von(objekt, FreigabeStatus.ERTEILT)
        .filter(umfang__in=[Umfang.VOLLSTAENDIG, Umfang.MITARBEIT], dokumente_zurueckgehalten=False)
        .select_for_update()
    )
    for f in betroffen:
        f.dokumente_zurueckgehalten = True
        f.save(update_fields=["dokumente_zurueckgehalten"])
        protokollieren(aktion=A.FREIGABE_ZUR_PRUEFUNG, akteur=by, objekt=objekt, freigabe=f)
    if betroffen:
        berechtigungen_abgleichen(objekt=objekt, by=by, anlass="VERSION-1")
        benachrichtigen(
            empfaenger=freigabe_admins(objekt.kommune),
            ereignis="freigabe_zur_pruefung",
            betreff=_("Neue Dokumente zu prüfen: %(titel)s") % {"titel": objekt},
            text=_(
                "Zu „%(titel)s“ wurden Dokumente hinzugefügt oder ersetzt (VERSION-1). "
                "%(n)s Freigabe(n) halten die Dokumente zurück, bis Sie sie erneut erteilen."
            )
            % {"titel": objekt, "n": len(betroffen)},
            link="/freigaben/eingang/",
        )
    return betroffen


def beschreibung_geaendert(*, objekt, by, felder: list[str]) -> None:
    """Edits of descriptive text: logged and shown to the owner's admins, no suspension."""
    if not felder:
        return
    protokollieren(aktion=A.OBJEKT_BEARBEITET, akteur=by, objekt=objekt, details={"felder": felder})
    if _freigaben_von(objekt, FreigabeStatus.ERTEILT).exists():
        benachrichtigen(
            empfaenger=freigabe_admins(objekt.kommune).exclude(pk=by.pk),
            ereignis="objekt_bearbeitet",
            betreff=_("Geteiltes Objekt bearbeitet: %(titel)s") % {"titel": objekt},
            text=_("%(wer)s hat %(felder)s geändert.")
            % {"wer": by.get_username(), "felder": ", ".join(felder)},
            link=_objekt_link(objekt),
        )


# --- Zugangsanfragen -------------------------------------------------------------------------


@transaction.atomic
def zugangsanfrage_stellen(
    *, objekt, by: Benutzer, begruendung: str, umfang: str = Umfang.VOLLSTAENDIG
) -> Zugangsanfrage:
    if not sharing.can(by, "view", objekt) or by.kommune_id is None:
        raise KeineBerechtigung(_("Nicht gefunden."))
    if by.kommune_id == objekt.kommune_id:
        raise ValidationError(_("Das Objekt gehört Ihrer eigenen Kommune."))
    if umfang not in (Umfang.VOLLSTAENDIG, Umfang.MITARBEIT):
        raise ValidationError({"umfang": _("Bitte „vollständig“ oder „Mitarbeit“ wählen.")})
    if umfang == Umfang.VOLLSTAENDIG and sharing.can(by, "download", objekt):
        raise ValidationError(_("Sie haben bereits Zugang zu den Dokumenten."))
    if not begruendung.strip():
        raise ValidationError({"begruendung": _("Bitte begründen Sie Ihre Anfrage.")})
    ct = ContentType.objects.get_for_model(objekt)
    if Zugangsanfrage.objects.filter(
        content_type=ct, object_id=objekt.pk, antragsteller=by, status=Zugangsanfrage.Status.OFFEN
    ).exists():
        raise ValidationError(_("Sie haben zu diesem Objekt schon eine offene Anfrage."))
    anfrage = Zugangsanfrage.objects.create(
        content_type=ct,
        object_id=objekt.pk,
        eigentuemer_id=objekt.kommune_id,
        antragsteller=by,
        kommune_id=by.kommune_id,
        umfang=umfang,
        begruendung=begruendung.strip(),
    )
    protokollieren(
        aktion=A.ANFRAGE_GESTELLT,
        akteur=by,
        objekt=objekt,
        details={"anfrage": anfrage.pk, "umfang": umfang, "kommune": str(by.kommune)},
    )
    benachrichtigen(
        empfaenger=freigabe_admins(objekt.kommune),
        ereignis="anfrage_gestellt",
        betreff=_("Zugangsanfrage zu entscheiden: %(titel)s") % {"titel": objekt},
        text=_("%(wer)s (%(kommune)s) bittet um Zugang: %(grund)s")
        % {"wer": by.get_username(), "kommune": by.kommune, "grund": anfrage.begruendung},
        link="/freigaben/eingang/",
    )
    return anfrage


@transaction.atomic
def zugangsanfrage_entscheiden(
    *,
    anfrage: Zugangsanfrage,
    by: Benutzer,
    genehmigen: bool,
    begruendung: str = "",
    gueltig_bis: dt.date | None = None,
    auflagen: str = "",
) -> Zugangsanfrage:
    """Decide an access request; approval creates a Freigabe that must pass the rules."""
    objekt = _lade_objekt(anfrage)
    a = Zugangsanfrage.objects.select_for_update().get(pk=anfrage.pk)
    _entscheider_pruefen(
        by,
        a.eigentuemer_id,
        objekt,
        _("Nur eine Freigabe-Admin der besitzenden Kommune kann Anfragen entscheiden."),
    )
    if a.status != Zugangsanfrage.Status.OFFEN:
        raise ValidationError(_("Diese Anfrage ist bereits entschieden."))
    if not genehmigen and not begruendung.strip():
        raise ValidationError(
            {"begruendung": _("Bitte eine Begründung für die Ablehnung angeben.")}
        )
    a.entschieden_von = by
    a.entschieden_am = timezone.now()
    a.entscheidung_begruendung = begruendung.strip()
    if genehmigen:
        antragsteller = Benutzer.objects.filter(pk=a.antragsteller_id).first()
        if (
            antragsteller is None
            or not antragsteller.is_active
            or antragsteller.kommune_id != a.kommune_id
        ):
            raise ValidationError(
                _(
                    "Die Person, die angefragt hat, ist nicht mehr aktiv oder gehört nicht mehr "
                    "zu %(kommune)s. Bitte lehnen Sie die Anfrage ab; ihre Kommune kann neu "
                    "anfragen."
                )
                % {"kommune": a.kommune}
            )
        heute = timezone.localdate()
        f = Freigabe(
            objekt=objekt,
            eigentuemer_id=a.eigentuemer_id,
            empfaenger_art=EmpfaengerArt.KOMMUNE,
            empfaenger_kommune_id=a.kommune_id,
            umfang=a.umfang,
            rechtsgrundlage=_("Zugangsanfrage Nr. %(nr)s") % {"nr": a.pk},
            auflagen=auflagen,
            gueltig_ab=heute,
            gueltig_bis=gueltig_bis or standard_gueltig_bis(heute),
            beantragt_von=a.antragsteller,
            entschieden_von=by,
            entschieden_am=a.entschieden_am,
            status=FreigabeStatus.ERTEILT,
        )
        f.full_clean(exclude=["content_type", "object_id", "beantragt_von"])
        doppelt = _offene_gleiche(f)
        if doppelt is not None:
            raise ValidationError(
                _(
                    "%(kommune)s hat für dieses Objekt schon Freigabe Nr. %(nr)s (%(umfang)s, "
                    "%(status)s). Eine zweite gleiche Freigabe entsteht nicht: Bitte lehnen Sie "
                    "die Anfrage mit Verweis darauf ab oder entscheiden Sie die bestehende "
                    "Freigabe."
                )
                % {
                    "kommune": a.kommune,
                    "nr": doppelt.pk,
                    "umfang": doppelt.get_umfang_display(),
                    "status": doppelt.get_status_display(),
                }
            )
        _pruefen_oder_abbrechen(f, objekt)
        f.save()
        a.freigabe = f
        a.status = Zugangsanfrage.Status.GENEHMIGT
        a.save()
        protokollieren(
            aktion=A.ANFRAGE_GENEHMIGT,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={"anfrage": a.pk},
        )
        protokollieren(
            aktion=A.FREIGABE_ERTEILT,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={"empfaenger": f.empfaenger_bezeichnung, "anfrage": a.pk},
        )
        berechtigungen_abgleichen(objekt=objekt, by=by, anlass=f"Zugangsanfrage {a.pk}")
        from .services_benachrichtigung import neue_freigabe_melden

        neue_freigabe_melden(freigabe=f, ausser=a.antragsteller)  # who asked is told below
        betreff = _("Zugang gewährt: %(titel)s") % {"titel": objekt}
    else:
        a.status = Zugangsanfrage.Status.ABGELEHNT
        a.save()
        protokollieren(
            aktion=A.ANFRAGE_ABGELEHNT,
            akteur=by,
            objekt=objekt,
            details={"anfrage": a.pk, "begruendung": a.entscheidung_begruendung},
        )
        betreff = _("Zugangsanfrage abgelehnt: %(titel)s") % {"titel": objekt}
    benachrichtigen(
        empfaenger=[a.antragsteller],
        ereignis="anfrage_entschieden",
        betreff=betreff,
        text=a.entscheidung_begruendung or betreff,
        link=_objekt_link(objekt),
    )
    return a


def aufgabenlauf_merken(*, aufgabe: str) -> None:
    """Note that a periodic task has just finished (one row per task, overwritten)."""
    Aufgabenlauf.objects.update_or_create(aufgabe=aufgabe, defaults={"zuletzt_am": timezone.now()})


def protokoll_exportiert(*, by: Benutzer, filter_: dict) -> Protokoll:
    """Log that an admin exported their city's audit log (who read it, with which filters)."""
    return protokollieren(
        aktion=A.PROTOKOLL_EXPORTIERT, akteur=by, kommune=by.kommune, details={"filter": filter_}
    )
