"""The search syntax: every form the help text promises, its errors, and a fuzz loop."""

import ast
import random
import re
from pathlib import Path

import pytest
from django.utils import translation

from common import suchsyntax
from common.suchsyntax import (
    MAX_BEGRIFFE,
    MAX_LAENGE,
    Begriff,
    Suchausdruck,
    Suchfehler,
    zerlegen,
)
from wissen.filter import SuchForm


def w(*woerter: str) -> Begriff:
    return Begriff(woerter)


def p(*woerter: str) -> Begriff:
    return Begriff(woerter, phrase=True)


def und(*begriffe: Begriff) -> tuple[tuple[Begriff, ...], ...]:
    """Groups of one Begriff each: all must occur."""
    return tuple((b,) for b in begriffe)


@pytest.mark.parametrize(
    "text, gruppen, ohne",
    [
        # Words: all must occur; German and English "and" change nothing.
        ("Ladesäule Förderung", und(w("Ladesäule"), w("Förderung")), ()),
        ("Ladesäule und Förderung", und(w("Ladesäule"), w("Förderung")), ()),
        ("Ladesäule UND Förderung AND Bund", und(w("Ladesäule"), w("Förderung"), w("Bund")), ()),
        ("Ladesäule && Förderung", und(w("Ladesäule"), w("Förderung")), ()),
        ("  Ladesäule\t Förderung  ", und(w("Ladesäule"), w("Förderung")), ()),
        # oder / OR / |
        ("Ladesäule OR Wallbox", ((w("Ladesäule"), w("Wallbox")),), ()),
        ("Ladesäule oder Wallbox", ((w("Ladesäule"), w("Wallbox")),), ()),
        (
            "Ladesäule ODER Wallbox Oder Stromtankstelle",
            ((w("Ladesäule"), w("Wallbox"), w("Stromtankstelle")),),
            (),
        ),
        ("Ladesäule | Wallbox", ((w("Ladesäule"), w("Wallbox")),), ()),
        ("Ladesäule|Wallbox", ((w("Ladesäule"), w("Wallbox")),), ()),
        ("Ladesäule || Wallbox", ((w("Ladesäule"), w("Wallbox")),), ()),
        (
            "Förderung Ladesäule oder Wallbox",
            ((w("Förderung"),), (w("Ladesäule"), w("Wallbox"))),
            (),
        ),
        (
            "Förderung (Ladesäule oder Wallbox)",
            ((w("Förderung"),), (w("Ladesäule"), w("Wallbox"))),
            (),
        ),
        (
            "Ladesäule oder Wallbox Förderung",
            ((w("Ladesäule"), w("Wallbox")), (w("Förderung"),)),
            (),
        ),
        # A leading, trailing or doubled oder is ignored.
        ("oder Ladesäule", und(w("Ladesäule")), ()),
        ("Ladesäule oder", und(w("Ladesäule")), ()),
        ("Ladesäule oder oder Wallbox", ((w("Ladesäule"), w("Wallbox")),), ()),
        ("Ladesäule oder OR | Wallbox", ((w("Ladesäule"), w("Wallbox")),), ()),
        # Only a bare term is an operator: the town keeps its river.
        ("Frankfurt (Oder)", und(w("Frankfurt"), w("Oder")), ()),
        # Phrases in straight, German and English quotes.
        ('"Smart City" München', ((p("Smart", "City"),), (w("München"),)), ()),
        ("„Smart City“ München", ((p("Smart", "City"),), (w("München"),)), ()),
        ("“Smart City” München", ((p("Smart", "City"),), (w("München"),)), ()),
        (
            'Bericht "Forschung und Entwicklung"',
            und(w("Bericht"), p("Forschung", "und", "Entwicklung")),
            (),
        ),
        ('"Smart City oder', und(p("Smart", "City", "oder")), ()),
        ("„digitale Verwaltung", und(p("digitale", "Verwaltung")), ()),
        ('"" Haushalt', und(w("Haushalt")), ()),
        ("„ , “ Haushalt", und(w("Haushalt")), ()),
        ('Bericht"Smart City"', und(w("Bericht"), p("Smart", "City")), ()),
        ('"Vitamin C"', und(p("Vitamin", "C")), ()),
        # Exclusion.
        ("Haushalt -Entwurf", und(w("Haushalt")), (w("Entwurf"),)),
        ('Haushalt -"erster Entwurf"', und(w("Haushalt")), (p("erster", "Entwurf"),)),
        ("Haushalt -„erster Entwurf“", und(w("Haushalt")), (p("erster", "Entwurf"),)),
        ("Chatbot -KI-gestützt", und(w("Chatbot")), (w("KI", "gestützt"),)),
        ("Haushalt - Entwurf", und(w("Haushalt"), w("Entwurf")), ()),
        ("Haushalt +Entwurf", und(w("Haushalt"), w("Entwurf")), ()),
        ("Haushalt -Entwurf -Entwurf", und(w("Haushalt")), (w("Entwurf"),)),
        # An oder next to an exclusion is ignored; exclusions stay global.
        ("Haushalt oder -Entwurf Satzung", und(w("Haushalt"), w("Satzung")), (w("Entwurf"),)),
        ("Haushalt -Entwurf oder Satzung", und(w("Haushalt"), w("Satzung")), (w("Entwurf"),)),
        # Joined words: one Begriff of adjacent parts.
        ("KI-gestützt", und(w("KI", "gestützt")), ()),
        ("E-Akte", und(w("E", "Akte")), ()),
        ("Open-Data-Portal", und(w("Open", "Data", "Portal")), ()),
        ("Smart/City www.muenchen.de", und(w("Smart", "City"), w("www", "muenchen", "de")), ()),
        ("F&E snake_case 10:30", und(w("F", "E"), w("snake", "case"), w("10", "30")), ()),
        # Punctuation around words goes; case and umlauts stay.
        ("Ladesäule, (Bürgerbeteiligung)!", und(w("Ladesäule"), w("Bürgerbeteiligung")), ()),
        ("ÖPNV straße STRASSE", und(w("ÖPNV"), w("straße"), w("STRASSE")), ()),
        ("§ 35a SGB VIII", und(w("35a"), w("SGB"), w("VIII")), ()),
        # Digits are words; a lone letter is dropped and breaks an oder chain.
        ("5G Ausbau 2025 3", und(w("5G"), w("Ausbau"), w("2025"), w("3")), ()),
        ("Ausbau a b", und(w("Ausbau")), ()),
        ("Ladesäule oder x Wallbox", und(w("Ladesäule"), w("Wallbox")), ()),
        # A decomposed umlaut (u + combining diaeresis) stays inside its word.
        ("Mu\u0308nchen", und(w("München")), ()),
        # Duplicates are removed.
        ("Haushalt Haushalt", und(w("Haushalt")), ()),
        ("Haushalt oder Haushalt", und(w("Haushalt")), ()),
        # Realistic queries.
        (
            'Bürgerkonto oder "digitale Identität" -Pilot',
            ((w("Bürgerkonto"), p("digitale", "Identität")),),
            (w("Pilot"),),
        ),
        ("Open-Data-Portal -Testbetrieb", und(w("Open", "Data", "Portal")), (w("Testbetrieb"),)),
        (
            "OZG-Umsetzung Kita-Anmeldung OR Elterngeld -„Version 1“",
            ((w("OZG", "Umsetzung"),), (w("Kita", "Anmeldung"), w("Elterngeld"))),
            (p("Version", "1"),),
        ),
        (
            "Hitzeaktionsplan Schulen oder Kitas -Entwurf -Berlin",
            ((w("Hitzeaktionsplan"),), (w("Schulen"), w("Kitas"))),
            (w("Entwurf"), w("Berlin")),
        ),
    ],
)
def test_zerlegen(text, gruppen, ohne):
    assert zerlegen(text) == Suchausdruck(gruppen=gruppen, ohne=ohne)


def test_begriffe_in_order_without_duplicates_and_without_exclusions():
    ausdruck = zerlegen("Ladesäule oder Wallbox „Smart City“ Wallbox oder E-Auto -Ladesäule")
    assert ausdruck.begriffe() == (
        w("Ladesäule"),
        w("Wallbox"),
        p("Smart", "City"),
        w("E", "Auto"),
    )


def test_phrase_and_hyphenated_word_are_different_begriffe():
    assert zerlegen('"KI gestützt" KI-gestützt').begriffe() == (
        p("KI", "gestützt"),
        w("KI", "gestützt"),
    )


@pytest.mark.parametrize(
    "text, meldung",
    [
        ("x" * (MAX_LAENGE + 1), "Die Suchanfrage ist zu lang (höchstens 300 Zeichen)."),
        ("Ladesäule\nWallbox", "Die Suchanfrage enthält unzulässige Zeichen."),
        ("Ladesäule\x00", "Die Suchanfrage enthält unzulässige Zeichen."),
        ("Ladesäule\x1b[31m", "Die Suchanfrage enthält unzulässige Zeichen."),
        ("Ladesäule\x7f", "Die Suchanfrage enthält unzulässige Zeichen."),
        ("Ladesäule\x85", "Die Suchanfrage enthält unzulässige Zeichen."),
        ("Ladesäule\x9f", "Die Suchanfrage enthält unzulässige Zeichen."),
        (
            " ".join(f"Wort{i}" for i in range(MAX_BEGRIFFE + 1)),
            "Die Suchanfrage enthält zu viele Begriffe (höchstens 20).",
        ),
        (
            " ".join(f"Wort{i}" for i in range(15)) + " " + " ".join(f"-Nein{i}" for i in range(6)),
            "Die Suchanfrage enthält zu viele Begriffe (höchstens 20).",
        ),
        (
            "-Entwurf -„erster Entwurf“",
            "Bitte geben Sie mindestens ein Wort ein, das vorkommen soll.",
        ),
        ("oder -Entwurf", "Bitte geben Sie mindestens ein Wort ein, das vorkommen soll."),
        ("", "Bitte geben Sie mindestens ein Wort ein."),
        (" \t ", "Bitte geben Sie mindestens ein Wort ein."),
        ("?! … -- ()", "Bitte geben Sie mindestens ein Wort ein."),
        ("oder", "Bitte geben Sie mindestens ein Wort ein."),
        ("OR | und AND &&", "Bitte geben Sie mindestens ein Wort ein."),
        ('"" „“', "Bitte geben Sie mindestens ein Wort ein."),
        ("a b", "Bitte geben Sie mindestens ein Wort ein."),
    ],
)
def test_fehler(text, meldung):
    with pytest.raises(Suchfehler) as info:
        zerlegen(text)
    assert info.value.meldung == meldung
    assert str(info.value) == meldung
    assert isinstance(info.value, ValueError)


def test_limits_are_inclusive():
    assert zerlegen("x" * (MAX_LAENGE - 1) + "y").begriffe() == (w("x" * (MAX_LAENGE - 1) + "y"),)
    zwanzig = " ".join(f"Wort{i}" for i in range(MAX_BEGRIFFE - 2)) + " -Nein oder -Nicht"
    ausdruck = zerlegen(zwanzig)
    assert len(ausdruck.begriffe()) + len(ausdruck.ohne) == MAX_BEGRIFFE
    # Repeated words count once.
    assert zerlegen(" ".join(["Haushalt"] * 30)).begriffe() == (w("Haushalt"),)


def test_messages_name_the_limits_of_the_module():
    assert f"höchstens {MAX_LAENGE} Zeichen" in suchsyntax.ZU_LANG
    assert f"höchstens {MAX_BEGRIFFE})" in suchsyntax.ZU_VIELE


def test_messages_and_help_text_are_translated_to_english():
    meldungen = [
        suchsyntax.ZU_LANG,
        suchsyntax.UNZULAESSIG,
        suchsyntax.ZU_VIELE,
        suchsyntax.KEIN_WORT,
        suchsyntax.NUR_AUSSCHLUSS,
    ]
    hilfe = str(SuchForm.base_fields["q"].help_text)
    with translation.override("en"):
        for meldung in meldungen:
            assert translation.gettext(meldung) != meldung
        assert str(SuchForm.base_fields["q"].help_text) != hilfe
    for wort in ("oder", "OR", "-wort", "Bindestrich", "„Wortfolge“", "Anführungszeichen"):
        assert wort in hilfe


def test_module_imports_nothing_of_the_project():
    baum = ast.parse(Path(suchsyntax.__file__).read_text(encoding="utf-8"))
    module = set()
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.Import):
            module.update(a.name.split(".")[0] for a in knoten.names)
        elif isinstance(knoten, ast.ImportFrom):
            module.add((knoten.module or "").split(".")[0])
    assert module <= {"__future__", "dataclasses", "re", "unicodedata"}


_STUECKE = [
    *"abcdefghijklmnopqrstuvwxyzäöüßABCKLMÖÄÜ0123456789",
    *"        \t",
    *'"„“”«»‚‘-+|&()/.,:;_!?§%*\\',
    *["oder ", " ODER ", "OR ", "or", " und ", "AND ", "&&", "||", "--", '-"', "+„"],
    *["Ladesäule", "KI-gestützt", "E-Akte", "2025", "5G"],
    *["\x00", "\n", "\r", "\x1f", "\x7f", "\x85", "\u200b", "\u00ad", "\u0308", "\u2028"],
    *["é", "ǅ", "İ", "ﬁ", "\U0001f600", "\ud800", "\ufeff", "٣", "²", "ʼ", "\u0958"],
]


def test_fuzz_only_suchfehler_and_sound_results():
    zufall = random.Random(20251202)
    wort = re.compile(r"[^\W_]+")
    ergebnisse = {"ok": 0, "fehler": 0}
    for _ in range(5000):
        laenge = zufall.choice([0, 1, 2, 5, 10, 20, 40, 80, 160, MAX_LAENGE + 5])
        text = "".join(zufall.choice(_STUECKE) for _ in range(laenge))
        try:
            ausdruck = zerlegen(text)
        except Suchfehler as fehler:
            assert fehler.meldung
            ergebnisse["fehler"] += 1
            continue
        ergebnisse["ok"] += 1
        assert ausdruck.gruppen
        assert all(ausdruck.gruppen)
        assert len(ausdruck.begriffe()) + len(ausdruck.ohne) <= MAX_BEGRIFFE
        for begriff in ausdruck.begriffe() + ausdruck.ohne:
            assert begriff.woerter
            assert all(wort.fullmatch(teil) for teil in begriff.woerter)
    # The loop reaches both outcomes, so it tests something.
    assert ergebnisse["ok"] > 1000
    assert ergebnisse["fehler"] > 500
