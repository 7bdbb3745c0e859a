"""The house's rules that import-linter cannot state: no import cycles, templates follow the
layers (docs/decisions/0008-app-grenzen.md)."""

import re
from pathlib import Path

import grimp
import pytest

WURZEL = Path(__file__).resolve().parents[1]
# Lowest first: a layer may use its own and the ones below, never one above.
SCHICHTEN = ("common", "kommunen", "projekte", "wissen", "portal")


def _zyklen(graph, module) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, tief, stapel, auf, ergebnis = {}, {}, [], set(), []
    zaehler = [0]

    def besuchen(v):
        index[v] = tief[v] = zaehler[0]
        zaehler[0] += 1
        stapel.append(v)
        auf.add(v)
        for w in graph(v):
            if w not in index:
                besuchen(w)
                tief[v] = min(tief[v], tief[w])
            elif w in auf:
                tief[v] = min(tief[v], index[w])
        if tief[v] == index[v]:
            teil = []
            while True:
                w = stapel.pop()
                auf.discard(w)
                teil.append(w)
                if w == v:
                    break
            if len(teil) > 1:
                ergebnis.append(sorted(teil))

    for m in sorted(module):
        if m not in index:
            besuchen(m)
    return ergebnis


def _services_und_tasks(a: str, b: str) -> bool:
    """An app's services queue its own tasks, which call the services back: allowed."""
    app_a, app_b = a.split(".")[0], b.split(".")[0]
    if app_a != app_b:
        return False
    teile = {a.split(".")[1] if "." in a else "", b.split(".")[1] if "." in b else ""}
    return teile == {"services", "tasks"}


@pytest.fixture(scope="module")
def importgraph():
    return grimp.build_graph(*SCHICHTEN)


def test_kein_modul_importiert_eines_das_es_zurueck_importiert(importgraph):
    def kanten(m):
        return [
            w
            for w in importgraph.find_modules_directly_imported_by(m)
            if not _services_und_tasks(m, w)
        ]

    assert len(importgraph.modules) > 100
    assert _zyklen(kanten, importgraph.modules) == []


def test_die_zyklenpruefung_findet_einen_zyklus():
    """The check itself can fail: a made-up cycle a -> b -> c -> a is found."""
    kanten = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}
    assert _zyklen(lambda m: kanten[m], kanten) == [["a", "b", "c"]]


def _schicht(name: str) -> int | None:
    return SCHICHTEN.index(name) if name in SCHICHTEN else None


VERWEIS = re.compile(
    r"""\{%\s*url\s+['"](?P<ns>[a-z_]+):[a-z_]+['"]"""
    r"""|\{%\s*(?:include|extends)\s+['"](?P<dir>[a-z_]+)/[^'"]+['"]"""
    r"""|\{%\s*load\s+(?P<lib>[a-z_ ]+)%\}"""
)


# Template tag libraries belong to the app whose templatetags package defines them.
BIBLIOTHEKEN = {p.stem: p.parts[-3] for p in WURZEL.glob("*/templatetags/*.py")}


def verweise_nach_oben(wurzel: Path) -> list[str]:
    """Links of an app's templates into an app above it. The site frame (base.html, the
    error pages, the portal's URLs without a namespace such as start and login) is shared."""
    funde = []
    for datei in sorted(wurzel.rglob("*.html")):
        teile = datei.relative_to(wurzel).parts
        eigene = _schicht(teile[0]) if len(teile) > 1 else None
        if eigene is None:
            continue
        for treffer in VERWEIS.finditer(datei.read_text(encoding="utf-8")):
            ziele = [treffer["ns"] or treffer["dir"]]
            if treffer["lib"]:
                ziele = [BIBLIOTHEKEN.get(lib, lib) for lib in treffer["lib"].split()]
            for ziel in ziele:
                schicht = _schicht(ziel)
                if schicht is not None and schicht > eigene:
                    funde.append(f"{'/'.join(teile)}: {treffer.group(0)}")
    return funde


def test_vorlagen_verweisen_nicht_nach_oben():
    assert len(list((WURZEL / "templates").rglob("*.html"))) > 40
    assert verweise_nach_oben(WURZEL / "templates") == []


def test_die_vorlagenpruefung_findet_einen_verweis_nach_oben(tmp_path):
    (tmp_path / "projekte").mkdir()
    (tmp_path / "projekte" / "x.html").write_text(
        '{% url "projekte:liste" %} {% url "wissen:neu" %} {% include "portal/_nav.html" %}'
        "{% load i18n markdown_sicher %}"
    )
    assert len(verweise_nach_oben(tmp_path)) == 2
    assert BIBLIOTHEKEN["markdown_sicher"] == "common"
