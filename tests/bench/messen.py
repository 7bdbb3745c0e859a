"""Measurements of the benchmark: request figures, sharing operations, baselines."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from kommunen import services, sharing
from kommunen.models import Benutzer, Freigabe, FreigabeStatus, Kommune, Rolle, Verbund
from projekte.models import Projekt, Thema
from wissen.models import Ergebnis

from .text import HAEUFIG, SELTENES_SUCHWORT, TEILWORT, TIPPFEHLER, ZWEI_WORTE
from .umgebung import ROOT


def _ms(werte: list[float]) -> dict:
    werte = sorted(werte)
    n = len(werte)
    return {
        "n": n,
        "p50_ms": round(statistics.median(werte) * 1000, 2),
        "p95_ms": round(werte[min(n - 1, int(round(0.95 * n)) - 1)] * 1000, 2),
        "max_ms": round(werte[-1] * 1000, 2),
    }


def zeitreihe(fn, n: int, warm: int = 10) -> dict:
    """p50/p95/max of `fn` over n calls after `warm` warm-up calls, plus its query count."""
    for _ in range(warm):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    werte = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        werte.append(time.perf_counter() - t0)
    return {**_ms(werte), "queries": queries}


# --- who and what is measured --------------------------------------------------------------


def benutzer_von(kommune_id: int, rolle: str = Rolle.MITARBEIT) -> Benutzer:
    return Benutzer.objects.filter(kommune_id=kommune_id, rolle=rolle).order_by("pk").first()


def fremdes_sichtbares(user, model):
    """An object of another Kommune that the user sees through a Freigabe (for detail pages)."""
    qs = sharing.visible(user, model.objects.all()).exclude(kommune_id=user.kommune_id)
    obj = qs.order_by("-erstellt_am", "-id").first()
    sharing.forget(user)
    return obj


def _url(name: str, *args, fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def seiten(user) -> dict[str, str]:
    """The pages to measure: the portal's own list and search when they exist, else stand-ins."""
    liste = _url("projekte:liste", fallback="")
    if not liste:
        try:
            resolve("/projekte/")
            liste = "/projekte/"
        except Resolver404:
            liste = "/bench/projekte/"
    suche = "/suche/"
    try:
        resolve(suche)
    except Resolver404:
        suche = "/bench/suche/"
    thema = Thema.objects.order_by("pk").first()
    projekt = fremdes_sichtbares(user, Projekt)
    return {
        "liste_seite_1": liste,
        "liste_seite_200": f"{liste}?seite=200",
        "liste_gefiltert": f"{liste}?status=umsetzung&thema={thema.pk if thema else ''}",
        "suche_haeufig": f"{suche}?{urlencode({'q': HAEUFIG})}",
        "suche_selten": f"{suche}?{urlencode({'q': SELTENES_SUCHWORT})}",
        "suche_zwei_worte": f"{suche}?{urlencode({'q': ZWEI_WORTE})}",
        # Found only through the vocabulary's compounds („Ladesäule“, „Litfaßsäule“).
        "suche_teilwort": f"{suche}?{urlencode({'q': TEILWORT})}",
        # Finds nothing: the page looks up a suggestion and shows its hits instead.
        "suche_tippfehler": f"{suche}?{urlencode({'q': TIPPFEHLER})}",
        "detail": projekt.get_absolute_url() if projekt else "",
    }


def anfragen(user, n: int, nur: tuple[str, ...] | None = None) -> dict:
    """Request figures through the test client (server time, warm) as `user`."""
    client = Client()
    client.force_login(user)
    out = {}
    for name, url in seiten(user).items():
        if nur and name not in nur:
            continue
        if not url:
            continue
        antwort = client.get(url)
        if antwort.status_code != 200:
            out[name] = {"url": url, "status": antwort.status_code}
            continue
        out[name] = {
            "url": url,
            **suchseite(antwort.content.decode()),
            **zeitreihe(lambda url=url: client.get(url), n),
        }
    return out


KALT = ("liste_seite_1", "liste_seite_200", "suche_haeufig", "suche_tippfehler")


def kalt(user, n: int) -> dict:
    """The first request after a change of rights: before each, the generation is raised, so
    that what is kept per group set (list ids, years, search counts) is computed anew. For
    information; the targets are for the warm pages."""
    client = Client()
    client.force_login(user)
    out = {}
    for name, url in seiten(user).items():
        if name not in KALT or not url:
            continue

        def anfrage(url=url):
            sharing.generation_erhoehen(None)
            return client.get(url)

        out[name] = {"url": url, **zeitreihe(anfrage, n, warm=2)}
    return out


def suchseite(html: str) -> dict:
    """What a search page found: its number of hits and whether it offered a suggestion
    (portal/suche.html); nothing for other pages."""
    anzahl = re.search(r'id="h-treffer">\s*([\d.,\u202f\xa0 ]+) Treffer', html)
    if anzahl is None:
        return {}
    return {
        "treffer": int(re.sub(r"\D", "", anzahl.group(1))),
        "vorschlag": 'class="meldung vorschlag"' in html,
    }


def funktionen(user, n: int) -> dict:
    """can(download) and explain() as a request calls them: the user's groups read each time."""
    ergebnis = fremdes_sichtbares(user, Ergebnis)
    projekt = fremdes_sichtbares(user, Projekt)
    out = {}
    if ergebnis is not None:

        def download():
            sharing.forget(user)
            return sharing.can(user, "download", ergebnis)

        out["download_pruefung"] = zeitreihe(download, n)
    if projekt is not None:

        def erklaeren():
            sharing.forget(user)
            return sharing.explain(user, projekt)

        out["explain"] = zeitreihe(erklaeren, n)
    return out


# --- baseline a: visible() against guardian's get_objects_for_user -------------------------


def gegen_guardian(user, wiederholungen: int = 15) -> dict:
    from guardian.shortcuts import get_objects_for_user

    def unsere():
        sharing.forget(user)
        return sharing.visible(user, Projekt.objects.all())

    def guardians():
        # guardian finds the direct-FK models (ProjektGroupObjectPermission) by itself.
        return get_objects_for_user(
            user,
            "projekte.view_projekt",
            klass=Projekt.objects.all(),
            use_groups=True,
            with_superuser=False,
            accept_global_perms=False,
        )

    out = {}
    for name, fn in (("visible", unsere), ("get_objects_for_user", guardians)):
        out[name] = {
            "seite_1": zeitreihe(
                lambda fn=fn: list(fn().order_by("-erstellt_am", "-id").values_list("pk")[:20]),
                wiederholungen,
                warm=2,
            ),
            "anzahl": zeitreihe(lambda fn=fn: fn().count(), wiederholungen, warm=2),
        }
    a = set(unsere().values_list("pk", flat=True))
    b = set(guardians().values_list("pk", flat=True))
    # guardian ignores the rows' dates (decision 0007): what it shows beyond visible() must be
    # exactly the objects whose rows for this user are all outside their validity today.
    nur_guardian = b - a
    davon_gueltig = set(
        sharing.perm_model(Projekt)
        .objects.filter(
            sharing._gueltig(),
            content_object_id__in=nur_guardian,
            permission_id=sharing._perm_ids(Projekt)["view"],
            group_id__in=sharing.group_ids(user),
        )
        .values_list("content_object_id", flat=True)
    )
    out["gleiche_menge"] = a <= b and not davon_gueltig
    out["nur_guardian_ausserhalb_gueltigkeit"] = len(nur_guardian)
    out["sichtbar"] = len(a)
    for teil in ("seite_1", "anzahl"):
        out[f"faktor_{teil}"] = round(
            out["get_objects_for_user"][teil]["p50_ms"] / max(out["visible"][teil]["p50_ms"], 1e-6),
            2,
        )
    return out


# --- sharing operations ----------------------------------------------------------------------


def _neues_projekt(kommune: Kommune, von: Benutzer, nr: int) -> Projekt:
    p = Projekt.objects.create(
        kommune=kommune,
        erstellt_von=von,
        titel=f"Messprojekt {nr}",
        zusammenfassung="Für die Messung von Freigaben.",
        einstufung="intern",
        personenbezug="keiner",
        nutzungsrechte="eigene",
    )
    sharing.sync_permissions(p)
    return p


def freigabe_operationen(kommune_id: int, verbund_id: int, n: int = 20) -> dict:
    """erteilen to and widerrufen of a Freigabe to the Verbund of 200 Kommunen, n times."""
    kommune = Kommune.objects.get(pk=kommune_id)
    verbund = Verbund.objects.get(pk=verbund_id)
    herausgabe = benutzer_von(kommune_id, Rolle.HERAUSGABE)
    admin = benutzer_von(kommune_id, Rolle.FREIGABE_ADMIN)
    erteilen, widerrufen, q_e, q_w = [], [], 0, 0
    for i in range(n):
        p = _neues_projekt(kommune, herausgabe, i)
        sharing.forget(herausgabe)
        f = services.freigabe_beantragen(
            objekt=p,
            by=herausgabe,
            empfaenger_art="verbund",
            empfaenger_verbund=verbund,
            umfang="vollstaendig",
        )
        for liste, aufruf in (
            (erteilen, lambda f=f: services.freigabe_erteilen(freigabe=f, by=admin)),
            (widerrufen, lambda f=f: services.freigabe_widerrufen(freigabe=f, by=admin)),
        ):
            sharing.forget(admin)
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                aufruf()
                liste.append(time.perf_counter() - t0)
            if liste is erteilen:
                q_e = len(ctx.captured_queries)
            else:
                q_w = len(ctx.captured_queries)
    mitglieder = verbund.mitglieder.count()
    return {
        "verbund_mitglieder": mitglieder,
        "erteilen": {**_ms(erteilen), "queries": q_e},
        "widerrufen": {**_ms(widerrufen), "queries": q_w},
    }


def widerruf_sichtbar(user, eigentuemer_id: int) -> dict:
    """Grant and revoke a Freigabe to the user's Kommune through the services while the user's
    list is in the cache (warm): the object must be on the list and its page open on the very
    next request after erteilen, and gone from both on the very next one after widerrufen."""
    kommune = Kommune.objects.get(pk=eigentuemer_id)
    herausgabe = benutzer_von(eigentuemer_id, Rolle.HERAUSGABE)
    admin = benutzer_von(eigentuemer_id, Rolle.FREIGABE_ADMIN)
    client = Client()
    client.force_login(user)
    liste = seiten(user)["liste_seite_1"]
    for _ in range(3):
        client.get(liste)
    p = _neues_projekt(kommune, herausgabe, 0)
    f = services.freigabe_beantragen(
        objekt=p,
        by=herausgabe,
        empfaenger_art="kommune",
        empfaenger_kommune=user.kommune,
        umfang="vollstaendig",
    )
    sharing.forget(admin)
    services.freigabe_erteilen(freigabe=f, by=admin)
    link = f'href="{p.get_absolute_url()}"'

    def stand() -> dict:
        r = client.get(liste)
        html = r.content.decode()
        # The count the page announces (no template context outside the test environment).
        anzahl = re.search(r'id="treffer-status"[^>]*>\s*([\d.]+)', html)
        return {
            "auf_der_liste": link in html,
            "anzahl": int(anzahl.group(1).replace(".", "")) if anzahl else None,
            "detail_status": client.get(p.get_absolute_url()).status_code,
        }

    erteilt = stand()
    services.freigabe_widerrufen(freigabe=f, by=admin)
    widerrufen = stand()
    return {
        "nach_erteilen": erteilt,
        "nach_widerruf": widerrufen,
        "ok": erteilt["auf_der_liste"]
        and erteilt["detail_status"] == 200
        and not widerrufen["auf_der_liste"]
        and widerrufen["detail_status"] == 404
        and erteilt["anzahl"] is not None
        and widerrufen["anzahl"] is not None
        and erteilt["anzahl"] - widerrufen["anzahl"] == 1,
    }


def sync_messen(projekt_id: int, n: int = 50) -> dict:
    projekt = Projekt.objects.get(pk=projekt_id)
    aktive = sharing.active_freigaben(projekt).count()
    gp = sharing.perm_model(Projekt)
    unveraendert = zeitreihe(lambda: sharing.sync_permissions(projekt), n, warm=3)
    neu = []
    for _ in range(min(n, 20)):
        gp.objects.filter(content_object_id=projekt_id).delete()
        t0 = time.perf_counter()
        hinzu, _weg = sharing.sync_permissions(projekt)
        neu.append(time.perf_counter() - t0)
    return {
        "aktive_freigaben": aktive,
        "unveraendert": unveraendert,
        "alle_zeilen_neu": {**_ms(neu), "zeilen": hinzu},
    }


def ablauf_messen(anzahl: int = 10_000, schonen: tuple[int, ...] = ()) -> dict:
    """Make `anzahl` granted Freigaben due (as if their last day passed) and run the task."""
    gestern = timezone.localdate() - dt.timedelta(days=1)
    ids = list(
        Freigabe.objects.filter(status=FreigabeStatus.ERTEILT, gueltig_ab__lte=gestern)
        .exclude(object_id__in=schonen)
        .order_by("pk")
        .values_list("pk", flat=True)[:anzahl]
    )
    Freigabe.objects.filter(pk__in=ids).update(gueltig_bis=gestern)
    # What the task itself will find due (suspended ones past their date count too).
    faellig = Freigabe.objects.filter(
        status__in=[FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT],
        gueltig_bis__lt=timezone.localdate(),
    ).count()
    zeilen_vorher = _gruppenrechte()
    t0 = time.perf_counter()
    erledigt = services.freigaben_ablaufen()
    dauer = time.perf_counter() - t0
    return {
        "faellig": faellig,
        "erledigt": erledigt,
        "dauer_s": round(dauer, 2),
        "ms_je_freigabe": round(dauer * 1000 / max(erledigt, 1), 2),
        "rechte_entzogen": zeilen_vorher - _gruppenrechte(),
        "danach_noch_faellig": Freigabe.objects.filter(
            status=FreigabeStatus.ERTEILT, gueltig_bis__lt=timezone.localdate()
        ).count(),
    }


def _gruppenrechte() -> int:
    with connection.cursor() as c:
        c.execute(
            "SELECT (SELECT count(*) FROM projekte_projektgroupobjectpermission)"
            " + (SELECT count(*) FROM wissen_ergebnisgroupobjectpermission)"
        )
        return c.fetchone()[0]


# --- baseline b: gunicorn + wrk ---------------------------------------------------------------


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kinder(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _vmhwm_mb(pid: int) -> float | None:
    try:
        for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
            if zeile.startswith("VmHWM:"):
                return round(int(zeile.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _wrk(url: str, cookie: str, dauer: int, verbindungen: int) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk fehlt: ./scripts/bench installiert es (apt-get install wrk).")
    aus = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{verbindungen}",
            f"-d{dauer}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
        timeout=dauer + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", aus).group(1))
    gesamt = int(re.search(r"(\d+) requests in", aus).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", aus)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", aus)
    p50 = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", aus)
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", aus)

    def in_ms(m):
        if not m:
            return None
        f = {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
        return round(float(m.group(1)) * f, 2)

    return {
        "ausgabe": aus,
        "rps": rps,
        "anfragen": gesamt,
        "fehler_non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "fehler_socket": sum(int(x) for x in sock.groups()) if sock else 0,
        "latenz_p50_ms": in_ms(p50),
        "latenz_p99_ms": in_ms(p99),
    }


def last(env: dict, user, liste_url: str, dauer: int = 30, verbindungen: int = 8) -> dict:
    """gunicorn (2 workers) serving the list page and a trivial view, both loaded by wrk."""
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    port = _freier_port()
    basis = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tests.bench.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{basis}/bench/ok/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        anfrage = urllib.request.Request(f"{basis}{liste_url}", headers={"Cookie": cookie})  # noqa: S310
        with urllib.request.urlopen(anfrage, timeout=30) as r:  # noqa: S310
            status = r.status
            koerper = r.read()
            endadresse = r.geturl()
        # A lost session would be redirected to the login page, which also answers 200.
        if status != 200 or "anmelden" in endadresse:
            raise RuntimeError(f"Liste antwortet mit {status} ({endadresse})")
        out = {
            "status_liste": status,
            "bytes_liste": len(koerper),
            "verbindungen": verbindungen,
            "dauer_s": dauer,
        }
        out["liste"] = _wrk(f"{basis}{liste_url}", cookie, dauer, verbindungen)
        out["trivial"] = _wrk(f"{basis}/bench/ok/", cookie, dauer, verbindungen)
        out["verhaeltnis"] = round(out["liste"]["rps"] / out["trivial"]["rps"], 3)
        out["rss_mb_je_worker"] = [_vmhwm_mb(p) for p in _kinder(proc.pid)]
        out["rss_mb_master"] = _vmhwm_mb(proc.pid)
        return out
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
