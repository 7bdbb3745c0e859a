"""Data generator of the benchmark: Bavaria-sized Kommunen, users, objects and Freigaben via COPY.

PostgreSQL only. Everything is written with psycopg 3's COPY and explicit ids; memberships and
guardian's direct-FK rows are computed the way `mitgliedschaften_sync` and
`sharing.desired_rows` compute them, and a random sample is checked against the real code.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from kommunen import sharing
from kommunen.models import IMMER_AB, IMMER_BIS, RECHTLICHE_FELDER, Benutzer, Rolle
from projekte.models import Projekt
from wissen.models import Ergebnis

from .text import Textgenerator

KOMMUNEN = 2056
VERBUENDE = 20
BENUTZER = 10_000
PROJEKTE = 100_000
ERGEBNISSE = 50_000
FREIGABEN = 300_000
SYNC_FREIGABEN = 50  # one object with this many Freigaben, for the sync_permissions figure

# The real big cities first (rank decides size), then generated Gemeinden.
GROSSE = [
    ("München", "muenchen", "09162000"),
    ("Nürnberg", "nuernberg", "09564000"),
    ("Augsburg", "augsburg", "09761000"),
    ("Regensburg", "regensburg", "09362000"),
]
SILBEN_VORNE = [
    "Ober",
    "Unter",
    "Nieder",
    "Hohen",
    "Alt",
    "Neu",
    "Groß",
    "Klein",
    "Bad",
    "Markt",
    "Sankt",
    "Wald",
    "Berg",
    "Tal",
    "See",
    "Au",
    "Kirch",
    "Stein",
    "Burg",
    "Mühl",
    "Eich",
    "Linden",
    "Rosen",
    "Wolfs",
    "Hirsch",
    "Adler",
    "Sonnen",
    "Mittel",
]
SILBEN_MITTE = [
    "hausen",
    "dorf",
    "heim",
    "bach",
    "feld",
    "berg",
    "burg",
    "kirchen",
    "stetten",
    "hofen",
    "ried",
    "moos",
    "au",
    "zell",
]
ZUSATZ = ("", "", "", " am Inn", " an der Donau", " im Allgäu", " a.d. Ilm", " i.OB", " (Opf.)")

TABELLEN = (
    "common_suchwort",
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "django_admin_log",
    "kommunen_protokoll",
    "kommunen_benachrichtigung",
    "kommunen_zugangsanfrage",
    "kommunen_freigabe",
    "projekte_projektgroupobjectpermission",
    "wissen_ergebnisgroupobjectpermission",
    "guardian_groupobjectpermission",
    "guardian_userobjectpermission",
    "wissen_dokument",
    "wissen_ergebnis",
    "projekte_beteiligung",
    "projekte_nachnutzung",
    "projekte_abo",
    "projekte_projekt_themen",
    "projekte_projekt_initiativen",
    "projekte_projekt",
    "projekte_thema",
    "projekte_initiative",
    "kommunen_verbund_mitglieder",
    "kommunen_verbund",
    "kommunen_benutzer_groups",
    "kommunen_benutzer_user_permissions",
    "kommunen_benutzer",
    "kommunen_kommune",
    "kommunen_oeffentlichegruppe",
    "auth_group_permissions",
    "auth_group",
)

FREIGEBBAR_SPALTEN = (
    "erstellt_am",
    "geaendert_am",
    *RECHTLICHE_FELDER,
)

# Legal profiles of objects: (name, share in percent).
PROFILE = (
    ("oeffentlich", 15),
    ("standard", 65),
    ("personal", 8),
    ("weitergabe", 7),
    ("ungeklaert", 5),
)
THEMEN = (
    "Bürgerservice",
    "Bauen und Wohnen",
    "Bildung",
    "Datenschutz",
    "Energie und Klima",
    "Gesundheit",
    "Informationssicherheit",
    "Infrastruktur",
    "Mobilität",
    "Open Data",
    "Personal",
    "Soziales",
)
STATUS_PROJEKT = ("idee", "planung", "umsetzung", "betrieb", "abgeschlossen")
# Freigaben that were granted at some point (and so announced to their recipients then).
GEWAEHRT = ("erteilt", "widerrufen", "abgelaufen", "ausgesetzt")


# The order in which _legal_werte lists the legal columns; _legal reorders them by name.
_WERTE_REIHENFOLGE = (
    "einstufung", "personenbezug", "rechtsgrundlage", "zweck", "loeschdatum",
    "loeschdatum_begruendung", "dsfa_durchgefuehrt", "dsfa_referenz", "nutzungsrechte",
    "vergabebezug", "geschwaerzt", "gremienstatus", "lizenz", "quellenvermerk",
    "vsnfd_ansprechstelle",
)  # fmt: skip


def _legal(profil: str, heute: dt.date) -> tuple:
    """The Freigebbar legal columns (without the timestamps) of a profile, in the order of
    RECHTLICHE_FELDER."""
    werte = dict(zip(_WERTE_REIHENFOLGE, _legal_werte(profil, heute), strict=True))
    # The facts of the second reading, answered the ordinary way (see tests/factories.py).
    werte.update(
        einwilligung="keine" if profil == "personal" else "",
        art9_ausnahme="",
        geheimnisschutz="keiner",
        unterlizenz_erlaubt=False,
        schwellenwert="",
        vergabestand="",
        geschaeftsgeheimnisse_dritter=False,
        zustimmung_dritter="",
        geheimhaltung_aufgehoben_am=None,
        geheimhaltung_aufgehoben_durch="",
    )
    return tuple(werte[name] for name in RECHTLICHE_FELDER)


def _legal_werte(profil: str, heute: dt.date) -> tuple:
    if profil == "oeffentlich":
        return ("offen", "keiner", "", "", None, "", False, "", "umfassend", "keiner", False,
                "oeffentlich_behandelt", "DL-DE-ZERO-2.0", "", "")  # fmt: skip
    if profil == "personal":
        return ("intern", "personenbezogen", "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 BayDSG",
                "Auswertung der Antragsdaten", heute + dt.timedelta(days=900), "", False, "",
                "eigene", "keiner", False, "nicht_befasst", "", "", "")  # fmt: skip
    if profil == "weitergabe":
        return ("intern", "keiner", "", "", None, "", False, "", "weitergabe_oeffentliche_stellen",
                "keiner", False, "nicht_befasst", "", "", "")  # fmt: skip
    if profil == "ungeklaert":
        return ("intern", "keiner", "", "", None, "", False, "", "ungeklaert", "keiner", False,
                "nicht_befasst", "", "", "")  # fmt: skip
    return ("intern", "keiner", "", "", None, "", False, "", "eigene", "keiner", False,
            "nicht_befasst", "", "", "")  # fmt: skip


@dataclass
class Welt:
    """What the generator made, for the measurements: ids of the interesting rows."""

    scale: float
    kommunen: int = 0
    benutzer: int = 0
    projekte: int = 0
    ergebnisse: int = 0
    freigaben: int = 0
    gruppenrechte: int = 0
    gross_kommune: int = 0
    klein_kommune: int = 0
    verbund_200: int = 0
    sync_projekt: int = 0
    suchindex: dict = field(default_factory=dict)
    dauer_s: dict = field(default_factory=dict)


def _copy(cur, tabelle: str, spalten: tuple[str, ...], zeilen) -> int:
    n = 0
    with cur.copy(f"COPY {tabelle} ({', '.join(spalten)}) FROM STDIN") as copy:
        for z in zeilen:
            copy.write_row(z)
            n += 1
    return n


def _next_id(cur, tabelle: str) -> int:
    cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {tabelle}")  # noqa: S608
    return cur.fetchone()[0]


def _ags_liste(rnd: random.Random, n: int) -> list[str]:
    """Valid-looking Bavarian AGS: 09 + Regierungsbezirk (1-7) + Kreis + Gemeinde, unique."""
    fest = {a for _n, _s, a in GROSSE}
    out: list[str] = []
    # Landkreise 71-99 per Regierungsbezirk, Gemeinden 111-199 within each: 7 * 29 * 89 slots.
    slots = [
        f"09{rb}{kreis:02d}{gem:03d}"
        for rb in range(1, 8)
        for kreis in range(71, 100)
        for gem in range(111, 200)
    ]
    rnd.shuffle(slots)
    for a in slots:
        if len(out) == n:
            break
        if a not in fest:
            out.append(a)
    return out


def erzeugen(scale: float = 1.0, seed: int = 4711, ausgabe=print) -> Welt:
    """Replace the benchmark database's content with generated data at `scale`."""
    t_start = time.perf_counter()
    rnd = random.Random(seed)
    tg = Textgenerator(seed=seed)
    welt = Welt(scale=scale)
    n_projekte = max(200, int(PROJEKTE * scale))
    n_ergebnisse = max(100, int(ERGEBNISSE * scale))
    n_freigaben = max(600, int(FREIGABEN * scale))
    jetzt = timezone.now()
    heute = timezone.localdate()

    def schritt(name: str, t0: float) -> float:
        t1 = time.perf_counter()
        welt.dauer_s[name] = round(t1 - t0, 2)
        ausgabe(f"  {name}: {t1 - t0:.1f} s")
        return t1

    t = time.perf_counter()
    vorschlaege_entfernen()
    with connection.cursor() as c:
        c.execute(f"TRUNCATE {', '.join(TABELLEN)} RESTART IDENTITY CASCADE")
    sharing.clear_caches()
    # guardian's anonymous user and the public group, as after `migrate`.
    from guardian.management import create_anonymous_user

    create_anonymous_user(None, using="default")
    public = sharing.public_group_id()
    perm_p = sharing._perm_ids(Projekt)
    perm_e = sharing._perm_ids(Ergebnis)
    ct_p = ContentType.objects.get_for_model(Projekt).id
    ct_e = ContentType.objects.get_for_model(Ergebnis).id
    t = schritt("leeren", t)

    with connection.cursor() as cur:
        raw = cur.cursor  # psycopg cursor, for COPY
        # --- Kommunen with their four groups -----------------------------------------------
        gid = _next_id(raw, "auth_group")
        kid0 = _next_id(raw, "kommunen_kommune")
        namen_gesehen: set[str] = set()
        kommunen = []  # (id, name, slug, ags, g_mitglieder, g_mitarbeit, g_herausgabe, g_admin)
        generiert = _ags_liste(rnd, KOMMUNEN - len(GROSSE))
        for i in range(KOMMUNEN):
            if i < len(GROSSE):
                name, slug, ags = GROSSE[i]
            else:
                ags = generiert[i - len(GROSSE)]
                while True:
                    name = rnd.choice(SILBEN_VORNE) + rnd.choice(SILBEN_MITTE) + rnd.choice(ZUSATZ)
                    if name not in namen_gesehen:
                        break
                    name = f"{name} {ags[-3:]}"
                    if name not in namen_gesehen:
                        break
                slug = f"g{ags}"
            namen_gesehen.add(name)
            kommunen.append((kid0 + i, name, slug, ags, gid, gid + 1, gid + 2, gid + 3))
            gid += 4
        _copy(
            raw,
            "auth_group",
            ("id", "name"),
            (
                (g, f"kommune:{k[2]}:{suffix}")
                for k in kommunen
                for g, suffix in zip(
                    k[4:8], ("mitglieder", "mitarbeit", "herausgabe", "freigabe_admin"), strict=True
                )
            ),
        )
        _copy(
            raw,
            "kommunen_kommune",
            (
                "id",
                "name",
                "slug",
                "ags",
                "aktiv",
                "gruppe_mitglieder_id",
                "gruppe_mitarbeit_id",
                "gruppe_herausgabe_id",
                "gruppe_freigabe_admin_id",
            ),  # fmt: skip
            ((k[0], k[1], k[2], k[3], True, k[4], k[5], k[6], k[7]) for k in kommunen),
        )
        kid = [k[0] for k in kommunen]
        gruppe_von = {k[0]: k[4:8] for k in kommunen}  # mitglieder, mitarbeit, herausgabe, admin
        gewicht = [1.0 / (rang + 1) ** 0.9 for rang in range(KOMMUNEN)]
        cum = []
        s = 0.0
        for w in gewicht:
            s += w
            cum.append(s)
        welt.kommunen = KOMMUNEN
        welt.gross_kommune = kid[0]
        welt.klein_kommune = kid[1500]

        # --- Verbünde: 10 to 200 members, München in a few and in the one of exactly 200 ----
        vid0 = _next_id(raw, "kommunen_verbund")
        groessen = [10 + round(190 * i / (VERBUENDE - 1)) for i in range(VERBUENDE)]
        verbuende = []  # (id, name, slug, gruppe)
        mitglieder: dict[int, set[int]] = {}
        for i, groesse in enumerate(groessen):
            vid = vid0 + i
            if i == 0:
                name = "Kooperationsbündnis Nürnberg–Augsburg–München"
                members = set(kid[:3]) | set(rnd.sample(kid[3:], groesse - 3))
            elif i == len(groessen) - 1:
                # München shares with the Verbund of 200 in the measurements: a member (VERBUND-1).
                name = f"Digitalverbund {i:02d}"
                members = {kid[0]} | set(rnd.sample(kid[1:], groesse - 1))
            else:
                name = f"Digitalverbund {i:02d}"
                members = set(rnd.sample(kid, groesse))
                if i % 6 == 0:
                    members.add(kid[0])
            mitglieder[vid] = members
            verbuende.append((vid, name, f"verbund-{i:02d}", gid))
            gid += 1
        welt.verbund_200 = verbuende[-1][0]
        _copy(raw, "auth_group", ("id", "name"), ((v[3], f"verbund:{v[2]}") for v in verbuende))
        _copy(
            raw,
            "kommunen_verbund",
            (
                "id",
                "name",
                "slug",
                "vereinbarung_titel",
                "vereinbarung_datum",
                "vereinbarung_dokument",
                "gruppe_id",
            ),  # fmt: skip
            (
                (v[0], v[1], v[2], f"Vereinbarung {v[1]}", dt.date(2025, 7, 16), "", v[3])
                for v in verbuende
            ),
        )
        _copy(
            raw,
            "kommunen_verbund_mitglieder",
            ("verbund_id", "kommune_id"),
            ((v, k) for v, ks in mitglieder.items() for k in sorted(ks)),
        )
        verbund_gruppe = {v[0]: v[3] for v in verbuende}
        verbuende_von: dict[int, list[int]] = defaultdict(list)
        for v, ks in mitglieder.items():
            for k in ks:
                verbuende_von[k].append(v)
        t = schritt("kommunen_verbuende", t)

        # --- Users: one per role in every Kommune, the rest by size -------------------------
        uid = _next_id(raw, "kommunen_benutzer")
        passwort = make_password("Bench-Passwort-123")
        benutzer = []  # (id, kommune_id, rolle)
        for k in kid:
            for rolle in (Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN):
                benutzer.append((uid, k, rolle))
                uid += 1
        rest = BENUTZER - len(benutzer)
        for k in rnd.choices(kid, cum_weights=cum, k=rest):
            rolle = rnd.choices(
                (Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN), (75, 15, 10)
            )[0]
            benutzer.append((uid, k, rolle))
            uid += 1
        slug_von = {k[0]: k[2] for k in kommunen}
        _copy(
            raw,
            "kommunen_benutzer",
            (
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "rolle",
                "benachrichtigung",
                "kommune_id",
            ),  # fmt: skip
            (
                (
                    u,
                    passwort,
                    False,
                    f"{slug_von[k]}-{r}-{u}",
                    "Vorname",
                    f"Nachname {u}",
                    f"u{u}@{slug_von[k]}.example",
                    False,
                    True,
                    jetzt,
                    r,
                    "woechentlich",
                    k,
                )  # fmt: skip
                for u, k, r in benutzer
            ),
        )
        rollen_index = {Rolle.MITARBEIT: 1, Rolle.HERAUSGABE: 2, Rolle.FREIGABE_ADMIN: 3}

        def soll(k: int, r: str) -> set[int]:
            g = gruppe_von[k]
            return {public, g[0], g[rollen_index[r]]} | {
                verbund_gruppe[v] for v in verbuende_von.get(k, ())
            }

        _copy(
            raw,
            "kommunen_benutzer_groups",
            ("benutzer_id", "group_id"),
            ((u, g) for u, k, r in benutzer for g in sorted(soll(k, r))),
        )
        welt.benutzer = len(benutzer)
        herausgabe_von: dict[int, list[int]] = defaultdict(list)
        admin_von: dict[int, list[int]] = defaultdict(list)
        for u, k, r in benutzer:
            if r == Rolle.HERAUSGABE:
                herausgabe_von[k].append(u)
            elif r == Rolle.FREIGABE_ADMIN:
                admin_von[k].append(u)
        t = schritt("benutzer", t)

        # --- Themen ---------------------------------------------------------------------------
        thid0 = _next_id(raw, "projekte_thema")
        _copy(
            raw,
            "projekte_thema",
            ("id", "name", "slug"),
            (
                (thid0 + i, n, n.lower().replace(" ", "-").replace("ü", "ue"))
                for i, n in enumerate(THEMEN)
            ),
        )
        themen_ids = [thid0 + i for i in range(len(THEMEN))]

        # --- Projekte -------------------------------------------------------------------------
        profil_namen = [p for p, _w in PROFILE]
        profil_gew = [w for _p, w in PROFILE]
        pid0 = _next_id(raw, "projekte_projekt")
        p_kommune = rnd.choices(kid, cum_weights=cum, k=n_projekte)
        p_profil = rnd.choices(profil_namen, profil_gew, k=n_projekte)
        # The object with many Freigaben is München's newest, plain-standard project.
        p_kommune[0] = kid[0]
        p_profil[0] = "standard"
        fuenf_jahre = 5 * 365 * 86400
        p_zeit = [
            jetzt - dt.timedelta(seconds=rnd.randrange(fuenf_jahre)) for _ in range(n_projekte)
        ]
        p_zeit[0] = jetzt - dt.timedelta(minutes=5)
        welt.sync_projekt = pid0

        def projekt_zeilen():
            for i in range(n_projekte):
                k = p_kommune[i]
                yield (
                    pid0 + i,
                    p_zeit[i],
                    p_zeit[i],
                    *_legal(p_profil[i], heute),
                    tg.titel(),
                    tg.saetze_text(2),
                    tg.saetze_text(5),
                    STATUS_PROJEKT[i % 5],
                    "",
                    "",
                    "",  # suchtext: the SQLite fallback's stems, empty on PostgreSQL
                    "{}",  # gruppen_sehen, gruppen_laden: after the rights (gruppenlisten_neu)
                    "{}",
                    0,  # nachnutzende_kommunen
                    rnd.choice(herausgabe_von[k]),
                    k,
                )

        _copy(
            raw,
            "projekte_projekt",
            (
                "id",
                *FREIGEBBAR_SPALTEN,
                "titel",
                "zusammenfassung",
                "beschreibung",
                "status",
                "kontakt",
                "rahmenvertrag",
                "suchtext",
                "gruppen_sehen",
                "gruppen_laden",
                "nachnutzende_kommunen",
                "erstellt_von_id",
                "kommune_id",
            ),  # fmt: skip
            projekt_zeilen(),
        )
        _copy(
            raw,
            "projekte_projekt_themen",
            ("projekt_id", "thema_id"),
            (
                (pid0 + i, th)
                for i in range(n_projekte)
                for th in rnd.sample(themen_ids, 1 + (i % 2))
            ),
        )
        welt.projekte = n_projekte
        t = schritt("projekte", t)

        # --- Ergebnisse with one Dokument each (about 2 KB of extracted text) -----------------
        eid0 = _next_id(raw, "wissen_ergebnis")
        e_kommune = rnd.choices(kid, cum_weights=cum, k=n_ergebnisse)
        e_profil = rnd.choices(profil_namen, profil_gew, k=n_ergebnisse)
        projekte_von: dict[int, list[int]] = defaultdict(list)
        for i, k in enumerate(p_kommune):
            projekte_von[k].append(pid0 + i)
        arten = ("studie", "gutachten", "konzept", "leitfaden", "evaluation", "bericht")
        e_erst = []

        def ergebnis_zeilen():
            for i in range(n_ergebnisse):
                k = e_kommune[i]
                zeit = jetzt - dt.timedelta(seconds=rnd.randrange(fuenf_jahre))
                von = rnd.choice(herausgabe_von[k])
                e_erst.append(von)
                projekt = (
                    rnd.choice(projekte_von[k]) if projekte_von[k] and rnd.random() < 0.6 else None
                )
                yield (
                    eid0 + i,
                    zeit,
                    zeit,
                    *_legal(e_profil[i], heute),
                    tg.titel(),
                    tg.saetze_text(2),
                    tg.saetze_text(2),
                    arten[i % len(arten)],
                    zeit.date(),
                    "Stadtverwaltung",
                    "",  # suchtext and suchtext_dokumente: SQLite only
                    "",
                    "{}",  # gruppen_sehen, gruppen_laden: after the rights (gruppenlisten_neu)
                    "{}",
                    von,
                    k,
                    projekt,
                )

        _copy(
            raw,
            "wissen_ergebnis",
            (
                "id",
                *FREIGEBBAR_SPALTEN,
                "titel",
                "zusammenfassung",
                "text",
                "art",
                "datum",
                "autoren",
                "suchtext",
                "suchtext_dokumente",
                "gruppen_sehen",
                "gruppen_laden",
                "erstellt_von_id",
                "kommune_id",
                "projekt_id",
            ),  # fmt: skip
            ergebnis_zeilen(),
        )

        def dokument_zeilen():
            for i in range(n_ergebnisse):
                text = tg.dokument()
                sha = f"{rnd.getrandbits(256):064x}"
                yield (
                    f"dokumente/{e_kommune[i]}/{sha[:2]}/{sha}",
                    f"bericht-{i}.pdf",
                    len(text) * 12,
                    sha,
                    "application/pdf",
                    jetzt,
                    text,
                    "fertig",
                    "",
                    100,
                    0,  # extraktion_seite
                    "textebene",  # textquelle: a text layer, no OCR
                    1 + len(text) // 3000,  # seiten
                    0,  # ocr_seiten
                    e_erst[i],
                    eid0 + i,
                )

        _copy(
            raw,
            "wissen_dokument",
            (
                "datei",
                "originalname",
                "groesse",
                "sha256",
                "mime",
                "hochgeladen_am",
                "text",
                "extraktion",
                "extraktion_fehler",
                "extraktion_fortschritt",
                "extraktion_seite",
                "textquelle",
                "seiten",
                "ocr_seiten",
                "hochgeladen_von_id",
                "ergebnis_id",
            ),  # fmt: skip
            dokument_zeilen(),
        )
        welt.ergebnisse = n_ergebnisse
        t = schritt("ergebnisse_dokumente", t)

        # --- Freigaben in all states ----------------------------------------------------------
        fid0 = _next_id(raw, "kommunen_freigabe")
        status_namen = (
            "erteilt",
            "beantragt",
            "abgelehnt",
            "widerrufen",
            "abgelaufen",
            "ausgesetzt",
        )
        status_gew = (50, 12, 8, 12, 13, 5)
        freigaben = []
        # (ct, obj, owner, art, k, v, umfang, ab, bis, status, zurueck, beantragt_von,
        #  entschieden_von, beendet_von)
        n_p_frei = n_freigaben * 2 // 3

        # One open Freigabe per object, recipient and scope (the database's constraint).
        offen = set()

        def neue(ct, obj, owner, profil, art=None, empf=None, status=None, umfang=None):
            if art is None:
                if profil == "oeffentlich" and rnd.random() < 0.3:
                    art = "oeffentlich"
                elif profil == "personal" or rnd.random() < 0.65 or not verbuende_von.get(owner):
                    art = "kommune"
                else:
                    art = "verbund"
            k = v = None
            if art == "kommune":
                k = empf
                while k is None or k == owner:
                    k = rnd.choices(kid, cum_weights=cum)[0]
            elif art == "verbund":
                # VERBUND-1: only with a Verbund the owner belongs to.
                v = empf or rnd.choice(sorted(verbuende_von[owner]))
            if status is None:
                if profil == "ungeklaert":
                    status = rnd.choice(("beantragt", "abgelehnt"))
                else:
                    status = rnd.choices(status_namen, status_gew)[0]
            if umfang is None:
                umfang = rnd.choices(("metadaten", "vollstaendig", "mitarbeit"), (45, 45, 10))[0]
                if profil == "personal" and umfang == "mitarbeit":
                    umfang = "vollstaendig"
            if status in ("erteilt", "ausgesetzt"):
                ab = heute - dt.timedelta(days=rnd.randrange(700))
                if rnd.random() < 0.03:
                    ab = heute + dt.timedelta(days=rnd.randrange(1, 60))
                bis = max(ab, heute) + dt.timedelta(days=rnd.randrange(30, 700))
            elif status == "abgelaufen":
                bis = heute - dt.timedelta(days=rnd.randrange(1, 700))
                ab = bis - dt.timedelta(days=730)
            elif status == "beantragt":
                ab = heute - dt.timedelta(days=rnd.randrange(30))
                bis = ab + dt.timedelta(days=730)
            else:
                ab = heute - dt.timedelta(days=rnd.randrange(30, 900))
                bis = ab + dt.timedelta(days=730)
            if status in ("beantragt", "erteilt", "ausgesetzt"):
                schluessel = (ct, obj, art, k, v, umfang)
                if schluessel in offen:
                    return
                offen.add(schluessel)
            zurueck = status == "erteilt" and umfang != "metadaten" and rnd.random() < 0.05
            entschieden = None if status == "beantragt" else rnd.choice(admin_von[owner])
            beendet = entschieden if status == "widerrufen" else None
            freigaben.append(
                (
                    ct,
                    obj,
                    owner,
                    art,
                    k,
                    v,
                    umfang,
                    ab,
                    bis,
                    status,
                    zurueck,
                    rnd.choice(herausgabe_von[owner]),
                    entschieden,
                    beendet,
                )  # fmt: skip
            )

        # The sync object: 50 granted Freigaben to 50 different Kommunen.
        for k in rnd.sample(kid[1:], SYNC_FREIGABEN):
            neue(ct_p, pid0, kid[0], "standard", "kommune", k, "erteilt", "vollstaendig")
        while len(freigaben) < n_p_frei:
            i = rnd.randrange(1, n_projekte)
            neue(ct_p, pid0 + i, p_kommune[i], p_profil[i])
        while len(freigaben) < n_freigaben:
            i = rnd.randrange(n_ergebnisse)
            neue(ct_e, eid0 + i, e_kommune[i], e_profil[i])

        def freigabe_zeilen():
            for n, f in enumerate(freigaben):
                (ct, obj, owner, art, k, v, umfang, ab, bis, status, zurueck, von, ent, end) = f
                entschieden_am = None if ent is None else jetzt - dt.timedelta(days=1)
                beendet_am = jetzt if status in ("widerrufen", "abgelaufen", "ausgesetzt") else None
                # Granted once: its recipients were told then (else the worker's sweep would
                # owe every generated grant a fan-out and write notifications for hours).
                verteilt_am = entschieden_am if status in GEWAEHRT else None
                # DSGVO-3 for the personal profile: a public task, the purpose of collection.
                yield (
                    fid0 + n, ct, obj, owner, art, k, v, umfang, "", "", ab, bis, False, status,
                    zurueck, von, jetzt - dt.timedelta(days=2), ent, entschieden_am, "", end,
                    beendet_am, "", "", "aufgabe", "Auswertung der Antragsdaten", "", verteilt_am,
                )  # fmt: skip

        _copy(
            raw,
            "kommunen_freigabe",
            (
                "id",
                "content_type_id",
                "object_id",
                "eigentuemer_id",
                "empfaenger_art",
                "empfaenger_kommune_id",
                "empfaenger_verbund_id",
                "umfang",
                "rechtsgrundlage",
                "auflagen",
                "gueltig_ab",
                "gueltig_bis",
                "weitergabe_erlaubt",
                "status",
                "dokumente_zurueckgehalten",
                "beantragt_von_id",
                "beantragt_am",
                "entschieden_von_id",
                "entschieden_am",
                "begruendung",
                "beendet_von_id",
                "beendet_am",
                "beendet_grund",
                "art26_vereinbarung",
                "uebermittlungsgrundlage",
                "empfaenger_zweck",
                "zweckvereinbarkeit",
                "verteilt_am",
            ),  # fmt: skip
            freigabe_zeilen(),
        )
        welt.freigaben = len(freigaben)
        t = schritt("freigaben", t)

        # --- guardian's direct-FK rows: exactly sharing.desired_rows ------------------------
        rechte = {
            "metadaten": ("view",),
            "vollstaendig": ("view", "download"),
            "mitarbeit": ("view", "download", "change"),
        }
        soll_p: list[set] = [set() for _ in range(n_projekte)]
        soll_e: list[set] = [set() for _ in range(n_ergebnisse)]
        for f in freigaben:
            (ct, obj, owner, art, k, v, umfang, ab, bis, status, zurueck, *_r) = f
            # Granted and not ended: a row carries the Freigabe's dates (later starts too).
            if status != "erteilt" or (bis is not None and bis < heute):
                continue
            ziel = soll_p[obj - pid0] if ct == ct_p else soll_e[obj - eid0]
            for a in rechte[umfang]:
                if a == "download" and zurueck:
                    continue
                if art == "kommune":
                    # Co-editing goes to the partner's Herausgabe group only.
                    g = gruppe_von[k][2] if a == "change" else gruppe_von[k][0]
                else:
                    g = verbund_gruppe[v] if art == "verbund" else public
                ziel.add((g, a, ab, bis or IMMER_BIS))

        def gruppen_zeilen(soll_liste, kommune_liste, id0, perm):
            for i, extra in enumerate(soll_liste):
                g = gruppe_von[kommune_liste[i]]
                eigene = {(g[0], "view"), (g[0], "download"), (g[2], "change"), (g[2], "share"),
                          (g[3], "share")}  # fmt: skip
                rows = {(grp, a, IMMER_AB, IMMER_BIS) for grp, a in eigene} | extra
                for grp, a, ab, bis in rows:
                    yield (id0 + i, grp, perm[a], ab, bis)

        welt.gruppenrechte = _copy(
            raw,
            "projekte_projektgroupobjectpermission",
            ("content_object_id", "group_id", "permission_id", "gueltig_ab", "gueltig_bis"),
            gruppen_zeilen(soll_p, p_kommune, pid0, perm_p),
        ) + _copy(
            raw,
            "wissen_ergebnisgroupobjectpermission",
            ("content_object_id", "group_id", "permission_id", "gueltig_ab", "gueltig_bis"),
            gruppen_zeilen(soll_e, e_kommune, eid0, perm_e),
        )
        t = schritt("berechtigungen", t)
    sharing.gruppenlisten_neu(Projekt)
    sharing.gruppenlisten_neu(Ergebnis)
    t = schritt("gruppenlisten", t)
    with connection.cursor() as cur:
        raw = cur.cursor
        # --- sequences after explicit ids ------------------------------------------------------
        for tabelle in (
            "auth_group", "kommunen_kommune", "kommunen_verbund", "kommunen_benutzer",
            "projekte_thema", "projekte_projekt", "wissen_ergebnis", "kommunen_freigabe",
        ):  # fmt: skip
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{tabelle}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {tabelle}))"
            )
    t = schritt("sequenzen", t)
    welt.suchindex = suchvektoren_fuellen()
    t = schritt("suchvektoren", t)
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    t = schritt("vacuum_analyze", t)
    welt.dauer_s["gesamt"] = round(time.perf_counter() - t_start, 2)
    ausgabe(
        f"Daten (Faktor {scale}): {welt.kommunen} Kommunen, {welt.benutzer} Benutzer, "
        f"{welt.projekte} Projekte, {welt.ergebnisse} Ergebnisse, {welt.freigaben} Freigaben, "
        f"{welt.gruppenrechte} Gruppenrechte in {welt.dauer_s['gesamt']:.1f} s"
    )
    return welt


# Proposed changes that are not (yet) in the schema or settings, applied only on request
# (`run.py --vorschlaege`) so that their effect is measured on the same data.
VORSCHLAG_INDEXE = {
    "bench_projekt_neueste": "projekte_projekt (erstellt_am DESC, id DESC)",
    "bench_ergebnis_neueste": "wissen_ergebnis (erstellt_am DESC, id DESC)",
}


def _datenbankname() -> str:
    return connection.settings_dict["NAME"]


def vorschlaege_anwenden() -> None:
    with connection.cursor() as c:
        for name, ziel in VORSCHLAG_INDEXE.items():
            c.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {ziel}")
        c.execute(f'ALTER DATABASE "{_datenbankname()}" SET jit = off')
        c.execute("ANALYZE projekte_projekt")
        c.execute("ANALYZE wissen_ergebnis")
    connection.close()  # the database setting applies to new sessions


def vorschlaege_entfernen() -> None:
    with connection.cursor() as c:
        for name in VORSCHLAG_INDEXE:
            c.execute(f"DROP INDEX IF EXISTS {name}")
        c.execute(f'ALTER DATABASE "{_datenbankname()}" RESET jit')
    connection.close()


# Read in chunks through a server-side cursor; each chunk's stems go to a temporary table by
# COPY and into the rows with one UPDATE, so neither side holds the whole corpus.
SUCH_CHUNK = 5000
# One field's stems become one weighted `simple` vector, exactly as common.suche.vektor writes it.
_VEKTOR = "setweight(to_tsvector('simple'::regconfig, coalesce(s.{feld}, '')), '{gewicht}')"
_METADATEN = " || ".join(
    _VEKTOR.format(feld=f, gewicht=g) for f, g in (("a", "A"), ("b", "B"), ("c", "C"))
)
_VOKABEL = re.compile(r"[^\W\d_]{3,60}")  # as common.suche.vokabular_merken

# A project's Themen and Initiativen as the related managers list them (Meta.ordering = name).
_ZUORDNUNG = """
    (SELECT string_agg(t.name, ' ' ORDER BY t.name) FROM projekte_projekt_themen pt
       JOIN projekte_thema t ON t.id = pt.thema_id WHERE pt.projekt_id = {p}),
    (SELECT string_agg(i.name, ' ' ORDER BY i.name) FROM projekte_projekt_initiativen pi
       JOIN projekte_initiative i ON i.id = pi.initiative_id WHERE pi.projekt_id = {p})
"""


def _stapelweise(pg, name: str, sql: str):
    with pg.cursor(name=name) as cur:
        cur.itersize = SUCH_CHUNK
        cur.execute(sql)
        while zeilen := cur.fetchmany(SUCH_CHUNK):
            yield zeilen


def _schreiben(pg, tabelle: str, setzen: str, zeilen: list[tuple]) -> None:
    with pg.cursor() as cur:
        cur.execute("TRUNCATE bench_suchtext")
        with cur.copy("COPY bench_suchtext (id, a, b, c, d) FROM STDIN") as copy:
            for z in zeilen:
                copy.write_row(z)
        cur.execute(f"UPDATE {tabelle} o SET {setzen} FROM bench_suchtext s WHERE s.id = o.id")  # noqa: S608


def suchvektoren_fuellen() -> dict:
    """The stored vectors and the vocabulary exactly as projekte.suche and wissen.suche write
    them (common.sprache's stems as `simple` vectors, weights A title, B summary and
    assignments, C description, D documents), in bulk. Returns the counts written."""
    from django.db import transaction

    from common.sprache import analysiert, gefaltet, stamm
    from wissen.models import Ergebnis as E

    art_name = {wert: str(name) for wert, name in E.Art.choices}
    woerter: set[str] = set()

    def merken(*texte: str) -> None:
        for text in texte:
            woerter.update(_VOKABEL.findall(text or ""))

    anzahl = {"projekte": 0, "ergebnisse": 0, "suchwoerter": 0}
    connection.ensure_connection()
    pg = connection.connection
    with transaction.atomic():
        with pg.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE bench_suchtext (id integer PRIMARY KEY, a text, b text, "
                "c text, d text) ON COMMIT DROP"
            )
        sql = f"""
            SELECT p.id, p.titel, p.zusammenfassung, p.beschreibung, k.name,
                {_ZUORDNUNG.format(p="p.id")}
            FROM projekte_projekt p JOIN kommunen_kommune k ON k.id = p.kommune_id
        """  # noqa: S608
        for zeilen in _stapelweise(pg, "bench_projekte", sql):
            stapel = []
            for pid, titel, zusammenfassung, beschreibung, kname, themen, initiativen in zeilen:
                zuordnung = " ".join([kname, *filter(None, (themen, initiativen))])
                b = f"{zusammenfassung} {zuordnung}"
                stapel.append(
                    (pid, analysiert(titel), analysiert(b), analysiert(beschreibung), None)
                )
                merken(titel, b, beschreibung)
            _schreiben(pg, "projekte_projekt", f"suchvektor = {_METADATEN}", stapel)
            anzahl["projekte"] += len(stapel)
        sql = f"""
            SELECT e.id, e.titel, e.zusammenfassung, e.text, e.art, e.autoren, k.name,
                {_ZUORDNUNG.format(p="e.projekt_id")},
                (SELECT string_agg(d.text, ' ' ORDER BY d.id) FROM wissen_dokument d
                 WHERE d.ergebnis_id = e.id)
            FROM wissen_ergebnis e JOIN kommunen_kommune k ON k.id = e.kommune_id
        """  # noqa: S608
        mit_dokumenten = _METADATEN + " || " + _VEKTOR.format(feld="d", gewicht="D")
        for zeilen in _stapelweise(pg, "bench_ergebnisse", sql):
            stapel = []
            for eid, titel, zus, text, art, autoren, kname, themen, initiativen, dok in zeilen:
                b = " ".join(
                    [zus, kname, art_name[art], autoren, *filter(None, (themen, initiativen))]
                )
                dok = dok or ""
                stapel.append(
                    (eid, analysiert(titel), analysiert(b), analysiert(text), analysiert(dok))
                )
                merken(titel, b, text, dok)
            _schreiben(
                pg,
                "wissen_ergebnis",
                f"suchvektor = {_METADATEN}, suchvektor_mit_dokumenten = {mit_dokumenten}",
                stapel,
            )
            anzahl["ergebnisse"] += len(stapel)
        vokabular = {}
        for w in woerter:
            g = gefaltet(w)
            if g not in vokabular and (s := stamm(w)):
                vokabular[g] = s
        eintraege = sorted(vokabular.items())
        with pg.cursor() as cur:
            for i in range(0, len(eintraege), SUCH_CHUNK):
                teil = eintraege[i : i + SUCH_CHUNK]
                cur.execute(
                    "INSERT INTO common_suchwort (wort, stamm) "
                    "SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT (wort) DO NOTHING",
                    ([w for w, _s in teil], [s for _w, s in teil]),
                )
                anzahl["suchwoerter"] += cur.rowcount
    return anzahl


def pruefen(welt: Welt, stichprobe: int = 50, ausgabe=print) -> dict:
    """Check a random sample against the real code: memberships and sync_permissions."""
    from kommunen.services import mitgliedschaften_soll

    rnd = random.Random(1)
    ergebnis = {
        "objekte": 0,
        "objekte_abweichend": 0,
        "gruppenlisten_abweichend": 0,
        "benutzer": 0,
        "benutzer_abweichend": 0,
    }
    ids_p = list(Projekt.objects.values_list("pk", flat=True))
    ids_e = list(Ergebnis.objects.values_list("pk", flat=True))
    proben = [welt.sync_projekt] + rnd.sample(ids_p, stichprobe // 2)
    for model, pks in (
        (Projekt, proben),
        (Ergebnis, rnd.sample(ids_e, stichprobe - stichprobe // 2)),
    ):
        for pk in pks:
            vorher = model.objects.get(pk=pk)
            if sharing.sync_permissions(vorher) != (0, 0):
                ergebnis["objekte_abweichend"] += 1
            nachher = model.objects.get(pk=pk)
            if any(
                getattr(vorher, f) != getattr(nachher, f) for f in sharing.GRUPPENLISTEN.values()
            ):
                ergebnis["gruppenlisten_abweichend"] += 1
            ergebnis["objekte"] += 1
    user_ids = list(Benutzer.objects.exclude(kommune=None).values_list("pk", flat=True))
    for pk in rnd.sample(user_ids, 50):
        user = Benutzer.objects.get(pk=pk)
        ist = set(user.groups.values_list("pk", flat=True))
        if ist != mitgliedschaften_soll(user):
            ergebnis["benutzer_abweichend"] += 1
        ergebnis["benutzer"] += 1
    ergebnis.update(suchindex_pruefen(rnd, ids_p, ids_e, stichprobe // 5))
    from kommunen.models import Freigabe, FreigabeStatus

    # What the real code leaves behind after a grant: nothing owed to the worker's sweeps.
    ergebnis["verteilungen_offen"] = Freigabe.objects.filter(
        status=FreigabeStatus.ERTEILT, verteilt_am__isnull=True
    ).count()
    ausgabe(
        f"Stichprobe: {ergebnis['objekte']} Objekte, davon {ergebnis['objekte_abweichend']} mit "
        f"Änderungen durch sync_permissions, {ergebnis['gruppenlisten_abweichend']} mit anderen "
        f"Gruppenlisten; {ergebnis['benutzer']} Benutzer, davon "
        f"{ergebnis['benutzer_abweichend']} mit abweichenden Gruppen; "
        f"{ergebnis['verteilungen_offen']} erteilte Freigaben ohne Verteilung; "
        f"{ergebnis['suchvektoren']} Suchvektoren, davon {ergebnis['suchvektoren_abweichend']} "
        f"anders als die Suche sie schreibt, {ergebnis['suchwoerter_fehlend']} fehlende Suchwörter"
    )
    return ergebnis


def _vektoren(proben_p: list[int], proben_e: list[int]) -> dict:
    """The stored vectors of the sample as text, by (table, id)."""
    with connection.cursor() as c:
        c.execute(
            "SELECT id, suchvektor::text FROM projekte_projekt WHERE id = ANY(%s)", [proben_p]
        )
        out = {("projekt", z[0]): z[1:] for z in c.fetchall()}
        c.execute(
            "SELECT id, suchvektor::text, suchvektor_mit_dokumenten::text FROM wissen_ergebnis "
            "WHERE id = ANY(%s)",
            [proben_e],
        )
        out.update({("ergebnis", z[0]): z[1:] for z in c.fetchall()})
    return out


def suchindex_pruefen(rnd: random.Random, ids_p: list[int], ids_e: list[int], n: int) -> dict:
    """Compare a sample of the stored vectors with what the search's own functions write
    (`projekt_suchvektor_aktualisieren`, `ergebnis_suchvektor_aktualisieren`), and the
    vocabulary with what they add, inside a transaction that is rolled back."""
    from django.db import transaction

    from common.models import Suchwort
    from projekte.suche import projekt_suchvektor_aktualisieren
    from wissen.suche import ergebnis_suchvektor_aktualisieren

    proben_p = rnd.sample(ids_p, min(n, len(ids_p)))
    proben_e = rnd.sample(ids_e, min(n, len(ids_e)))
    with transaction.atomic():
        vorher = _vektoren(proben_p, proben_e)
        woerter = Suchwort.objects.count()
        for pk in proben_p:
            projekt_suchvektor_aktualisieren(pk)
        for pk in proben_e:
            ergebnis_suchvektor_aktualisieren(pk)
        nachher = _vektoren(proben_p, proben_e)
        fehlend = Suchwort.objects.count() - woerter
        transaction.set_rollback(True)
    return {
        "suchvektoren": len(vorher),
        "suchvektoren_abweichend": sum(vorher[k] != nachher.get(k) for k in vorher),
        "suchwoerter_fehlend": fehlend,
    }
