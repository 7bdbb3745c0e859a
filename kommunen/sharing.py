"""The one place that reads and writes per-object permissions.

Writes: `sync_permissions(obj)` derives the rows that ownership plus the granted Freigaben call
for, each row carrying its Freigabe's validity, and applies the difference. Reads: `visible()`
for lists (one SQL statement, EXISTS over guardian's direct-FK group tables with the user's few
group ids read first, counting only rows valid today), `can()` for one object,
`get_visible_or_404()` with the same 404 for "missing" and "not yours", and `explain()`.
Rights are held by groups only: there are no per-user rows. Beside the rows, each object
stores the groups that hold `view` and `download` on it (`vorfilter()`, for searches).

What depends only on a user's group set (the ordered ids of a list, its years, a search's
count) may be kept in the shared cache under `gruppensatz_schluessel()`: the key names the
group set, today's date and the generation of the rights as that set sees it, one number for
everyone and one per group (`generation()`). A change raises the numbers of the groups it
concerns (`generation_erhoehen(gruppen)`, at once and again on commit): sync_permissions the
groups of the rows it adds or removes, a changed object or search index the groups that may
see it (`objekt_geaendert()`), a Kommune or a bulk load everyone's. A change in one part of
Bavaria so leaves the entries of group sets that do not see it. A cached list orders and
counts; the rows of a page are still read through visible().
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from functools import cache

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermissionBase

from common import zwischenspeicher

from . import rules
from .models import (
    IMMER_AB,
    IMMER_BIS,
    Benutzer,
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    OeffentlicheGruppe,
    Umfang,
    Verbund,
)

ACTIONS = ("view", "download", "change", "share")
_PERM_ID_ARRAY = ArrayField(models.IntegerField())

# What a Freigabe's scope grants to its recipient's members group. Co-editing (`mitarbeit`)
# adds `change` for the recipient's Herausgabe group only (see _freigabe_gruppe).
UMFANG_RECHTE = {
    Umfang.METADATEN: ("view",),
    Umfang.VOLLSTAENDIG: ("view", "download"),
    Umfang.MITARBEIT: ("view", "download", "change"),
}


def _model(obj_or_model) -> type[models.Model]:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return model._meta.concrete_model


@cache
def perm_model(model: type[models.Model]) -> type[GroupObjectPermissionBase]:
    """The direct-FK group permission model that guardian keeps for `model`."""
    for rel in model._meta.related_objects:
        related = rel.related_model
        if rel.field.name == "content_object" and issubclass(related, GroupObjectPermissionBase):
            return related
    raise LookupError(f"{model.__name__} hat keine Objektberechtigungen.")


@cache
def _perm_ids(model: type[models.Model]) -> dict[str, int]:
    ct = ContentType.objects.get_for_model(model)
    name = model._meta.model_name
    rows = Permission.objects.filter(
        content_type=ct, codename__in=[f"{a}_{name}" for a in ACTIONS]
    ).values_list("codename", "id")
    ids = {codename.split("_", 1)[0]: pk for codename, pk in rows}
    if set(ids) != set(ACTIONS):
        raise LookupError(f"Berechtigungen für {name} fehlen: {set(ACTIONS) - set(ids)}")
    return ids


@cache
def public_group_id() -> int:
    row = OeffentlicheGruppe.objects.select_related("gruppe").first()
    if row is None:
        with transaction.atomic():
            gruppe, _created = Group.objects.get_or_create(name="öffentlich")
            row, _created = OeffentlicheGruppe.objects.get_or_create(gruppe=gruppe)
    return row.gruppe_id


def clear_caches() -> None:
    """Forget cached ids (after migrations or a test database flush)."""
    perm_model.cache_clear()
    _perm_ids.cache_clear()
    public_group_id.cache_clear()


def _action(perm: str) -> str:
    action = perm.split("_", 1)[0]
    if action not in ACTIONS:
        raise ValueError(f"Unbekannte Berechtigung: {perm}")
    return action


def group_ids(user) -> list[int]:
    """The user's group ids, read once per user object (that is, once per request).

    A user of a deactivated Kommune holds no group at all, not even the public one: the
    Kommune loses all visibility at once and regains it on reactivation.
    """
    if user is None or not user.is_authenticated:
        return [public_group_id()]
    cached = getattr(user, "_wv_group_ids", None)
    if cached is None and getattr(user, "_wv_gruppen_roh", None) is not None:
        # Read with the user in this request (angemeldete_benutzer): the same facts.
        darf = user.is_active and (user.kommune_id is None or user.kommune.aktiv)
        cached = sorted(set(user._wv_gruppen_roh) | {public_group_id()}) if darf else []
        user._wv_group_ids = cached
    if cached is None:
        rows = list(
            Benutzer.objects.filter(pk=user.pk, is_active=True)
            .filter(Q(kommune__isnull=True) | Q(kommune__aktiv=True))
            .values_list("groups__id", flat=True)
        )
        cached = sorted({g for g in rows if g is not None} | {public_group_id()}) if rows else []
        user._wv_group_ids = cached
    return cached


def verbund_ids(user) -> set[int]:
    """The Verbünde whose group the user is in (none for a user who holds no group)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_wv_verbund_ids", None)
    if cached is None:
        gruppen = group_ids(user)
        roh = getattr(user, "_wv_verbuende_roh", None)
        if not gruppen:
            cached = set()
        elif roh is not None:
            cached = set(roh)
        else:
            cached = set(Verbund.objects.filter(gruppe_id__in=gruppen).values_list("pk", flat=True))
        user._wv_verbund_ids = cached
    return cached


def angemeldete_benutzer(queryset: QuerySet) -> QuerySet:
    """Users with what every request asks of them read in the same query: their Kommune and,
    on PostgreSQL, the ids of their groups and of those groups' Verbünde (group_ids(),
    verbund_ids()). The authentication backend loads the request's user this way."""
    qs = queryset.select_related("kommune")
    if connection.vendor != "postgresql":
        return qs
    gruppen, verbuende = _angemeldet_sql()
    return qs.annotate(
        _wv_gruppen_roh=RawSQL(gruppen, ()),  # noqa: S611 - names from the models, no input
        _wv_verbuende_roh=RawSQL(verbuende, ()),  # noqa: S611
    )


@cache
def _angemeldet_sql() -> tuple[str, str]:
    """The two ARRAY subqueries of angemeldete_benutzer() as SQL of their own: the same
    statements the ORM would build, without compiling its expressions on every request (every
    page loads its user this way)."""
    q = connection.ops.quote_name
    benutzer = q(Benutzer._meta.db_table)
    mitglied = Benutzer.groups.through._meta
    m = q(mitglied.db_table)
    m_benutzer = q(mitglied.get_field("benutzer").column)
    m_gruppe = q(mitglied.get_field("group").column)
    verbund = Verbund._meta
    # Names from the models' metadata, no input.
    pk = f"{benutzer}.{q(Benutzer._meta.pk.column)}"
    gruppen = f"ARRAY(SELECT {m}.{m_gruppe} FROM {m} WHERE {m}.{m_benutzer} = {pk})"  # noqa: S608
    verbuende = (
        f"ARRAY(SELECT v.{q(verbund.pk.column)} FROM {q(verbund.db_table)} v "  # noqa: S608
        f"JOIN {m} ON {m}.{m_gruppe} = v.{q(verbund.get_field('gruppe').column)} "
        f"WHERE {m}.{m_benutzer} = {pk})"
    )
    return gruppen, verbuende


def forget(user) -> None:
    """Drop what the user object holds of its groups, after memberships changed."""
    # hasattr/delattr, not __dict__: request.user is a lazy proxy of the user object.
    for name in ("_wv_group_ids", "_wv_gruppen_roh", "_wv_verbuende_roh", "_wv_verbund_ids"):
        if user is not None and hasattr(user, name):
            delattr(user, name)


# --- reads --------------------------------------------------------------------------------


def _heute():
    return timezone.localdate()


def _gueltig() -> Q:
    """A permission row counts only within its Freigabe's dates (decision 0007)."""
    heute = _heute()
    return Q(gueltig_ab__lte=heute, gueltig_bis__gte=heute)


def visible(user, queryset: QuerySet, perm: str = "view") -> QuerySet:
    """The objects of `queryset` for which `user` holds `perm` today, as one lazy SQL statement."""
    bedingung = recht(user, queryset.model, perm)
    return queryset.none() if bedingung is None else queryset.filter(bedingung)


def _rechte_gruppen(user) -> list[int] | None:
    """The groups whose rows count for `user`, or None where the user can hold nothing
    (inactive, or without groups: of a deactivated Kommune)."""
    if user is not None and user.is_authenticated and not user.is_active:
        return None
    return group_ids(user) or None


def recht(user, model, perm: str) -> Exists | None:
    """Per row of a `model` queryset: does `user` hold `perm` on it today? One EXISTS over
    the valid rows of the user's groups, or None where the user can hold nothing (inactive,
    or of a deactivated Kommune). visible() filters by it; a right shown or used row by row
    (a result's documents in a search) annotates it."""
    model = _model(model)
    action = _action(perm)
    gruppen = _rechte_gruppen(user)
    if gruppen is None:
        return None
    return Exists(
        perm_model(model).objects.filter(
            _gueltig(),
            content_object=OuterRef("pk"),
            permission_id=_perm_ids(model)[action],
            group_id__in=gruppen,
        )
    )


# The stored group lists (Freigebbar.gruppen_sehen, gruppen_laden) that sync_permissions keeps
# beside the rows.
GRUPPENLISTEN = {"view": "gruppen_sehen", "download": "gruppen_laden"}


def vorfilter(user, perm: str = "view") -> Q:
    """A condition on the stored group lists: the objects on which one of the user's groups
    holds a `perm` row, whatever its dates (PostgreSQL; elsewhere no condition).

    It lets a search intersect two GIN indexes (the text's and this one) before it reads any
    row, so that the rows visible() then checks are the likely hits, not every hit in Bavaria.
    It never decides alone: the lists ignore the rows' dates, so only `visible()` (and `can()`)
    say what a user may see and do today.
    """
    if connection.vendor != "postgresql":
        return Q()
    return Q(**{f"{GRUPPENLISTEN[_action(perm)]}__ueberlappt": group_ids(user)})


def _wer(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def mit_rechten(user, queryset: QuerySet) -> QuerySet:
    """Each row annotated with every action `user` holds on it today, in the same query; can()
    answers from them for objects fetched so (get_visible_or_404(..., rechte=True)).

    On PostgreSQL one ARRAY subquery of the permission ids of the user's valid rows, elsewhere
    one EXISTS per action."""
    model = _model(queryset.model)
    if connection.vendor == "postgresql":
        gruppen = _rechte_gruppen(user)
        if gruppen is None:
            return queryset.annotate(_wv_rechte=Value([], output_field=_PERM_ID_ARRAY))
        return queryset.annotate(
            _wv_rechte=ArraySubquery(
                perm_model(model)
                .objects.filter(_gueltig(), content_object=OuterRef("pk"), group_id__in=gruppen)
                .values("permission_id")
            )
        )
    felder = {}
    for action in ACTIONS:
        bedingung = recht(user, model, action)
        felder[f"_wv_recht_{action}"] = Value(False) if bedingung is None else bedingung
    return queryset.annotate(**felder)


def can(user, perm: str, obj) -> bool:
    if obj is None or obj.pk is None:
        return False
    action = _action(perm)
    if "_wv_rechte_von" in obj.__dict__ and obj._wv_rechte_von == _wer(user):
        # Read with the object in this request, for this user (mit_rechten).
        if "_wv_rechte" in obj.__dict__:
            return _perm_ids(_model(obj))[action] in (obj._wv_rechte or ())
        return bool(getattr(obj, f"_wv_recht_{action}"))
    return visible(user, _model(obj)._default_manager.filter(pk=obj.pk), perm).exists()


def can_change_documents(user, obj) -> bool:
    """Documents are added and replaced by the owner's Herausgabe only: a co-editing partner
    (Mitarbeit) edits the description, never the owner's files (whose change would hold back
    the documents of every other Freigabe, VERSION-1)."""
    return getattr(user, "kommune_id", None) == obj.kommune_id and can(user, "change", obj)


def can_delete(user, obj) -> bool:
    """An object is deleted by its owner's Herausgabe only (the owner Kommune's `change`
    rows are theirs): not by a co-editing partner (Mitarbeit), nor the owner's other roles."""
    return getattr(user, "kommune_id", None) == obj.kommune_id and can(user, "change", obj)


def get_visible_or_404(
    user, queryset: QuerySet, perm: str = "view", *, rechte: bool = False, **lookup
):
    """One object the user may `perm`; the same 404 whether it is missing or not theirs.
    With `rechte`, every right of the user on it is read in the same query (for can())."""
    qs = visible(user, queryset, perm)
    if rechte:
        qs = mit_rechten(user, qs)
    try:
        obj = qs.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc
    if rechte:
        obj._wv_rechte_von = _wer(user)
    return obj


def sehende_gruppen(obj) -> set[int]:
    """The groups that hold `view` on `obj` today (its owner's staff among them)."""
    heute = _heute()
    return set(
        perm_model(_model(obj))
        .objects.filter(
            content_object_id=obj.pk,
            permission_id=_perm_ids(_model(obj))["view"],
            gueltig_ab__lte=heute,
            gueltig_bis__gte=heute,
        )
        .values_list("group_id", flat=True)
    )


def granted_freigaben(obj) -> QuerySet:
    """Granted Freigaben of `obj` that have not ended yet (including those starting later)."""
    return (
        Freigabe.objects.filter(
            content_type=ContentType.objects.get_for_model(_model(obj)),
            object_id=obj.pk,
            status=FreigabeStatus.ERTEILT,
        )
        .filter(Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=_heute()))
        .select_related("empfaenger_kommune", "empfaenger_verbund", "beantragt_von")
    )


def active_freigaben(obj) -> QuerySet:
    """Granted Freigaben of `obj` valid today."""
    return granted_freigaben(obj).filter(gueltig_ab__lte=_heute())


def _grants(f: Freigabe, obj) -> bool:
    """Whether a granted Freigabe may grant anything (rules re-checked against `obj`)."""
    return not rules.sperrende(rules.check(f, obj, umstaende=f.umstaende(obj)))


def explain(user, obj, aktive: list[Freigabe] | None = None) -> list[str]:
    """Why the user may see `obj`: own Kommune, a Freigabe to their Kommune, a Verbund, public.
    `aktive`: the object's active_freigaben() when the caller has read them already."""
    if not can(user, "view", obj):
        return []
    gruende = []
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is not None and kommune_id == obj.kommune_id:
        gruende.append(_("Das Objekt gehört Ihrer Kommune."))
    verbuende = verbund_ids(user) if kommune_id is not None else set()
    for f in active_freigaben(obj) if aktive is None else aktive:
        if not _grants(f, obj):
            continue  # grants nothing (see desired_rows), so it is no reason either
        umfang = f.get_umfang_display()
        bis = _datum(f.wirksam_bis(obj))  # the Löschdatum if it comes first (LOESCH-1)
        if f.empfaenger_art == EmpfaengerArt.KOMMUNE and f.empfaenger_kommune_id == kommune_id:
            gruende.append(
                _("Freigabe Nr. %(nr)s an Ihre Kommune (%(umfang)s), gültig bis %(bis)s.")
                % {"nr": f.pk, "umfang": umfang, "bis": bis}
            )
        elif f.empfaenger_art == EmpfaengerArt.VERBUND and f.empfaenger_verbund_id in verbuende:
            gruende.append(
                _(
                    "Freigabe Nr. %(nr)s über den Verbund „%(verbund)s“ (%(umfang)s), "
                    "gültig bis %(bis)s."
                )
                % {
                    "nr": f.pk,
                    "verbund": f.empfaenger_verbund,
                    "umfang": umfang,
                    "bis": bis,
                }
            )
        elif f.empfaenger_art == EmpfaengerArt.OEFFENTLICH:
            gruende.append(
                _("Freigabe Nr. %(nr)s: öffentlich zugänglich (%(umfang)s).")
                % {"nr": f.pk, "umfang": umfang}
            )
    return gruende


def _datum(d) -> str:
    return d.strftime("%d.%m.%Y") if d else _("unbefristet")


# --- the generation of the rights, and keys per group set ----------------------------------

GENERATION_SCHLUESSEL = "sharing:generation"


def _gruppe_schluessel(gruppe: int) -> str:
    return f"{GENERATION_SCHLUESSEL}:{gruppe}"


def generation(gruppen: Iterable[int] = ()) -> tuple[int, ...] | None:
    """The generation of the rights as a group set sees them: one number for changes that
    concern everyone, and one per group for changes of what that group may see. None when
    the cache cannot be reached (then nothing may be kept under it). A lost number (Redis
    restarted, evicted) starts again at a random value, so that no key of an old generation
    is ever read again."""
    schluessel = [GENERATION_SCHLUESSEL, *map(_gruppe_schluessel, gruppen)]
    werte = zwischenspeicher.lesen_viele(schluessel)
    if werte is not None and len(werte) < len(schluessel):
        for k in schluessel:
            if k not in werte:
                zwischenspeicher.hinzufuegen(k, secrets.randbits(48), None)
        werte = zwischenspeicher.lesen_viele(schluessel)
    if werte is None or len(werte) < len(schluessel):
        return None
    return tuple(werte[k] for k in schluessel)


def _weiter(schluessel: list[str]) -> None:
    # A new random number rather than one more: one round trip for any number of groups, and
    # two changes at the same moment both leave a number no key was made under.
    zwischenspeicher.schreiben_viele({k: secrets.randbits(48) for k in schluessel}, None)


def generation_erhoehen(gruppen: Iterable[int] | None = None) -> None:
    """Make the keys of the current generation obsolete (a new random number): of every group
    set (`gruppen` None: Kommunen, bulk recomputations), or of the sets that hold one of
    `gruppen` (the groups whose rows, or whose visible objects, changed). At once (this
    transaction's own later reads) and again on commit (a request that read the new number
    before the commit and the old rows after it has kept them under a number that is now old
    as well)."""
    if gruppen is None:
        schluessel = [GENERATION_SCHLUESSEL]
    else:
        schluessel = [_gruppe_schluessel(g) for g in sorted(set(gruppen))]
    if not schluessel:
        return
    _weiter(schluessel)
    transaction.on_commit(lambda: _weiter(schluessel))


def _gruppen_in(listen) -> set[int]:
    return {g for liste in listen for g in (liste or ())}


def objekte_gruppen(model, pks) -> set[int]:
    """The groups that may see or download the objects `pks` of `model`, as their stored
    lists say now (one query)."""
    felder = list(GRUPPENLISTEN.values())
    zeilen = _model(model)._default_manager.filter(pk__in=pks).values_list(*felder)
    return {g for zeile in zeilen for g in _gruppen_in(zeile)}


def objekt_geaendert(obj, *, frisch: bool = False) -> None:
    """`obj`'s fields, Themen or search index changed: the lists and counts of the group sets
    that may see it are computed anew. The groups are those of the caller's copy and, unless
    the caller has just read it (`frisch`), of the stored lists now (the copy may be older than
    the last sync_permissions; a deleted object has only the copy)."""
    gruppen = _gruppen_in(getattr(obj, f) for f in GRUPPENLISTEN.values())
    if not frisch:
        gruppen |= objekte_gruppen(obj, [obj.pk])
    generation_erhoehen(gruppen)


def gruppensatz_schluessel(user, art: str, *teile) -> str | None:
    """A cache key for a value that depends only on the user's group set, today's date (the
    rows' validity) and `teile`; None when the cache cannot be reached."""
    stand = generation(group_ids(user))
    if stand is None:
        return None
    gruppen = ",".join(map(str, group_ids(user)))
    roh = "|".join([art, str(stand), _heute().isoformat(), gruppen, *map(str, teile)])
    return f"sichtbar:{art}:{hashlib.sha256(roh.encode()).hexdigest()}"


# --- writes -------------------------------------------------------------------------------


Row = tuple[int, str, dt.date, dt.date]  # group id, action, valid from, valid until


def _freigabe_gruppe(f: Freigabe, action: str) -> int:
    if f.empfaenger_art == EmpfaengerArt.KOMMUNE:
        if action == "change":
            # Co-editing goes to the partner's Herausgabe, not to its whole staff.
            return f.empfaenger_kommune.gruppe_herausgabe_id
        return f.empfaenger_kommune.gruppe_mitglieder_id
    if f.empfaenger_art == EmpfaengerArt.VERBUND:
        return f.empfaenger_verbund.gruppe_id
    return public_group_id()


def desired_rows(obj) -> set[Row]:
    """(group id, action, valid from, valid until) that ownership plus the Freigaben call for."""
    k = obj.kommune
    rows = {
        (gruppe, action, IMMER_AB, IMMER_BIS)
        for gruppe, action in (
            (k.gruppe_mitglieder_id, "view"),
            (k.gruppe_mitglieder_id, "download"),
            (k.gruppe_herausgabe_id, "change"),
            (k.gruppe_herausgabe_id, "share"),
            (k.gruppe_freigabe_admin_id, "share"),
        )
    }
    for f in granted_freigaben(obj):
        if not _grants(f, obj):
            # Defence in depth: a granted Freigabe whose object changed around the services
            # (rechtliches_geaendert suspends it) grants nothing until it passes again.
            continue
        for action in UMFANG_RECHTE[f.umfang]:
            if action == "download" and f.dokumente_zurueckgehalten:
                continue
            # A row ends with its Freigabe, and never after the object's Löschdatum (LOESCH-1),
            # so access stops on that day at the moment of each read.
            rows.add(
                (_freigabe_gruppe(f, action), action, f.gueltig_ab, f.wirksam_bis(obj) or IMMER_BIS)
            )
    return rows


def lock(obj):
    """Lock the object's row and return a fresh copy of it.

    The one lock order of every write on a shareable object (its legal fields, its documents,
    its Freigaben): the object's row first, then its Freigaben. Whoever judges the law on the
    object judges this copy, which no other transaction can change until commit.
    """
    model = _model(obj)
    return model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)


def gruppenlisten_neu(model) -> None:
    """Recompute the stored group lists of every object of `model` from its rows in one
    statement per list (for bulk loads that write rows around sync_permissions, and
    `manage.py suchindex`). PostgreSQL only: elsewhere nothing reads the lists."""
    if connection.vendor != "postgresql":
        return
    model = _model(model)
    ids = _perm_ids(model)
    tabelle = model._meta.db_table
    rechte = perm_model(model)._meta.db_table
    generation_erhoehen(None)
    with connection.cursor() as c:
        for action, feld in GRUPPENLISTEN.items():
            c.execute(
                f"UPDATE {tabelle} o SET {feld} = g.gruppen FROM ("  # noqa: S608 - names, not input
                f"SELECT content_object_id AS id, "
                f"array_agg(DISTINCT group_id ORDER BY group_id) AS gruppen "
                f"FROM {rechte} WHERE permission_id = %s GROUP BY content_object_id) g "
                f"WHERE g.id = o.id",
                [ids[action]],
            )


def drop_permissions(obj) -> int:
    """Delete every permission row of `obj`, before the object itself is deleted."""
    model = _model(obj)
    zeilen = perm_model(model).objects.filter(content_object_id=obj.pk)
    gruppen = set(zeilen.values_list("group_id", flat=True))
    deleted, _by_model = zeilen.delete()
    if deleted:
        generation_erhoehen(gruppen)
    return deleted


def sync_permissions(obj) -> tuple[int, int]:
    """Make the group rows of `obj` match `desired_rows(obj)`. Returns (added, removed)."""
    model = _model(obj)
    group_perm = perm_model(model)
    ids = _perm_ids(model)
    with transaction.atomic():
        # Serialise concurrent syncs of one object, and judge the object as it is now, not
        # the copy the caller read before another transaction changed it.
        obj = lock(obj)
        desired = {(g, ids[a], ab, bis) for g, a, ab, bis in desired_rows(obj)}
        existing = set(
            group_perm.objects.filter(
                content_object_id=obj.pk, permission_id__in=ids.values()
            ).values_list("group_id", "permission_id", "gueltig_ab", "gueltig_bis")
        )
        remove = existing - desired
        add = desired - existing
        if remove or add:
            generation_erhoehen({g for g, _p, _ab, _bis in remove | add})
        if remove:
            cond = Q()
            for g, p, ab, bis in remove:
                cond |= Q(group_id=g, permission_id=p, gueltig_ab=ab, gueltig_bis=bis)
            group_perm.objects.filter(cond, content_object_id=obj.pk).delete()
        listen = {
            feld: sorted({g for g, p, _ab, _bis in desired if p == ids[action]})
            for action, feld in GRUPPENLISTEN.items()
        }
        if any(getattr(obj, feld) != gruppen for feld, gruppen in listen.items()):
            model._default_manager.filter(pk=obj.pk).update(**listen)
        if add:
            group_perm.objects.bulk_create(
                [
                    group_perm(
                        group_id=g,
                        permission_id=p,
                        content_object_id=obj.pk,
                        gueltig_ab=ab,
                        gueltig_bis=bis,
                    )
                    for g, p, ab, bis in add
                ],
                ignore_conflicts=True,
            )
    return len(add), len(remove)
