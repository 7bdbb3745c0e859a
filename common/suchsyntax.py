"""The search syntax the help text of the search field promises, parsed into plain data.

Pure Python, so that the matching (PostgreSQL or the SQLite fallback) and the tests can rely
on one reading of a query:

- words separated by whitespace must all occur; `und`, `and` and `&&` between them change
  nothing;
- `oder`, `or` or `|` between two terms: either of them; `a b oder c` is a AND (b OR c);
  a leading, trailing or doubled `oder` is ignored;
- `"…"`, `„…“` and `“…”` enclose a phrase (an unclosed quote runs to the end of the text);
- `-wort`, `-"Wortfolge"`, `-KI-gestützt` exclude; `+wort` is `wort`; a minus on its own is
  ignored.

Decisions where the syntax leaves a choice:

- Operator words are recognised in any case (`oder`, `ODER`, `Or`, ...), but only as a bare
  term: `Frankfurt (Oder)` searches for the word "Oder".
- Inside a term every character that is not a letter or digit joins parts of one Begriff,
  matched as adjacent words: `KI-gestützt`, `Smart/City`, `muenchen.de`, `F&E`, `snake_case`.
  Punctuation around a term disappears; brackets are punctuation, so the usual
  `Förderung (Ladesäule oder Wallbox)` means what it says.
- A Begriff that is a single one-letter word is dropped (digits stay: `5`); inside a
  hyphenated word or a phrase every part is kept (`E-Akte`, `"Vitamin C"`). A dropped word
  still breaks an `oder` chain, as its partner is gone.
- Exclusions take no part in `oder`: an `oder` next to one is ignored.
- The text is NFC-normalised, so a decomposed umlaut stays part of its word.
- Duplicates are removed (exact, case-sensitive comparison); MAX_BEGRIFFE counts distinct
  Begriffe, positive and excluded together.

Messages are German gettext source strings, marked for makemessages without importing
Django; whoever shows `Suchfehler.meldung` translates it with `gettext`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LAENGE = 300
MAX_BEGRIFFE = 20


def gettext_noop(text: str) -> str:
    """Mark a message for makemessages; it is translated where it is shown."""
    return text


# The limits are written out so that makemessages finds fixed strings; a test keeps them
# equal to MAX_LAENGE and MAX_BEGRIFFE.
ZU_LANG = gettext_noop("Die Suchanfrage ist zu lang (höchstens 300 Zeichen).")
UNZULAESSIG = gettext_noop("Die Suchanfrage enthält unzulässige Zeichen.")
ZU_VIELE = gettext_noop("Die Suchanfrage enthält zu viele Begriffe (höchstens 20).")
KEIN_WORT = gettext_noop("Bitte geben Sie mindestens ein Wort ein.")
NUR_AUSSCHLUSS = gettext_noop("Bitte geben Sie mindestens ein Wort ein, das vorkommen soll.")


@dataclass(frozen=True)
class Begriff:
    """One searched unit: a word, or several that must stand in this order side by side."""

    woerter: tuple[str, ...]
    phrase: bool = False


@dataclass(frozen=True)
class Suchausdruck:
    """A parsed query: every group must match, within a group any Begriff; none of `ohne`."""

    gruppen: tuple[tuple[Begriff, ...], ...]
    ohne: tuple[Begriff, ...]

    def begriffe(self) -> tuple[Begriff, ...]:
        """All positive Begriffe in the order of the query, each once (for highlighting)."""
        return tuple(dict.fromkeys(b for gruppe in self.gruppen for b in gruppe))


class Suchfehler(ValueError):
    """A query that cannot be searched; `meldung` (also `str(exc)`) is for the user."""

    def __init__(self, meldung: str) -> None:
        super().__init__(meldung)
        self.meldung = meldung


# Tab is whitespace; every other C0 and C1 control character (newlines too) is refused.
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_OEFFNEN = '"„“'
_SCHLIESSEN = '"“”'
# A phrase (signed, perhaps unclosed), a run of pipes, or any other run of non-space text.
_TEIL = re.compile(
    rf"(?P<zeichen>[-+]*)[{_OEFFNEN}](?P<phrase>[^{_SCHLIESSEN}]*)[{_SCHLIESSEN}]?"
    r"|(?P<pipes>\|+)"
    rf"|(?P<term>[^\s{_OEFFNEN}|]+)"
)
# Letters and digits in the Unicode sense; `\w` without the underscore.
_WORT = re.compile(r"[^\W_]+")
_ODER = {"oder", "or"}
_UND = {"und", "and"}

# Kinds of the parts of a query, as `_lesen` returns them.
_LEER = "leer"  # nothing searchable (punctuation, `und`, a lone minus): as if not there
_WEG = "weg"  # a dropped one-letter word
_ODER_ART = "oder"
_PLUS = "plus"
_MINUS = "minus"


def _lesen(teil: re.Match[str]) -> tuple[str, Begriff | None]:
    if teil["pipes"]:
        return _ODER_ART, None
    if teil["term"] is not None:
        term = teil["term"]
        if term.casefold() in _ODER:
            return _ODER_ART, None
        if term.casefold() in _UND:
            return _LEER, None
        ausschluss, phrase, woerter = term.startswith("-"), False, _WORT.findall(term)
    else:
        ausschluss = teil["zeichen"].startswith("-")
        phrase, woerter = True, _WORT.findall(teil["phrase"])
    if not woerter:
        return _LEER, None
    if len(woerter) == 1 and len(woerter[0]) == 1 and not woerter[0].isdigit():
        return _WEG, None
    return (_MINUS if ausschluss else _PLUS), Begriff(tuple(woerter), phrase=phrase)


def zerlegen(text: str) -> Suchausdruck:
    """Parse a query typed into the search field; raise Suchfehler if it cannot be searched."""
    if len(text) > MAX_LAENGE:
        raise Suchfehler(ZU_LANG)
    if _STEUERZEICHEN.search(text):
        raise Suchfehler(UNZULAESSIG)
    gruppen: list[list[Begriff]] = []
    ohne: list[Begriff] = []
    zuletzt_positiv = False  # the last part that counted was a positive Begriff
    verbinden = False  # an `oder` follows it and waits for its partner
    for teil in _TEIL.finditer(unicodedata.normalize("NFC", text)):
        art, begriff = _lesen(teil)
        if art == _LEER:
            continue
        if art == _ODER_ART:
            verbinden = zuletzt_positiv
            continue
        if art == _PLUS:
            if verbinden:
                if begriff not in gruppen[-1]:
                    gruppen[-1].append(begriff)
            else:
                gruppen.append([begriff])
        elif art == _MINUS and begriff not in ohne:
            ohne.append(begriff)
        zuletzt_positiv, verbinden = art == _PLUS, False
    ausdruck = Suchausdruck(
        gruppen=tuple(dict.fromkeys(tuple(g) for g in gruppen)), ohne=tuple(ohne)
    )
    if len(ausdruck.begriffe()) + len(ausdruck.ohne) > MAX_BEGRIFFE:
        raise Suchfehler(ZU_VIELE)
    if not ausdruck.gruppen:
        raise Suchfehler(NUR_AUSSCHLUSS if ausdruck.ohne else KEIN_WORT)
    return ausdruck
