"""German text analysis for search, the same at index and at query time, on every database.

A text becomes a sequence of stems: words are split at every non-letter (so the parts of
„KI-gestützt“ are words of their own), lower-cased and stemmed with the
Snowball German stemmer (PyStemmer), which joins plural and case forms and treats ä/ae, ö/oe,
ü/ue and ß/ss alike („Ladesaeule“ and „Ladesäulen“ both become `ladesaul`). Latin plurals
the stemmer leaves apart (Datum/Daten, Zentrum/Zentren, Gremium/Gremien) are joined by one
rule of ours. PostgreSQL stores the stems as a `simple` tsvector; SQLite stores them as text.
Parts of compounds are found at query time (common.suche; docs/decisions/0013-deutsche-suche.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("german")
_WORT = re.compile(r"[^\W_]+")

# Snowball's German stop list (function words): left out of a query's single-word terms.
STOPPWOERTER = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anders auch auf aus bei bin bis bist da damit dann der den des dem
    die das dass daß derselbe derselben denselben desselben demselben dieselbe dieselben
    dasselbe dazu dein deine deinem deinen deiner deines denn derer dessen dich dir du dies
    diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einig
    einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren
    eurer eures für fuer gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich
    mich mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede jedem jeden jeder
    jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
    können koennen könnte koennte machen man manche manchem manchen mancher manches mein
    meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder
    ohne sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche
    solchem solchen solcher solches soll sollte sondern sonst über ueber um und uns unsere
    unserem unseren unser unseres unter viel vom von vor während waehrend war waren warst
    was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder
    will wir wird wirst wo wollen wollte würde wuerde würden wuerden zu zum zur zwar zwischen
    """.split()  # noqa: SIM905 - a word list reads better as text
)

MIN_LATEIN = 5  # "Datum" and longer: -um/-us is cut before stemming


def ist_fuellwort(wort: str) -> bool:
    return wort.lower() in STOPPWOERTER


_UMLAUT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_UMSCHRIFT = re.compile(r"(?<!q)(?:ae|oe|ue)")


def gefaltet_stammnah(wort: str) -> str:
    """The whole word folded the way the stemmer folds („Sicherheit“ → „sicherheit“,
    „Gebaeude“ → „gebaude“): a prefix of the stems of the compounds it begins, where its own
    stem is cut shorter („sich“)."""
    w = wort.lower()
    w = _UMSCHRIFT.sub(lambda m: m.group(0)[0], w)
    return w.translate(_UMLAUT)


@lru_cache(maxsize=200_000)
def stamm(wort: str) -> str:
    """The stem of one word (lower-cased, folded)."""
    w = wort.lower().replace("ß", "ss")
    if len(w) >= MIN_LATEIN and w.endswith(("um", "us")):
        # Datum/Daten, Zentrum/Zentren, Gremium/Gremien, Virus/Viren, Mechanismus/-men.
        w = w[:-2]
    return _STEMMER.stemWord(w)


def woerter(text: str) -> list[str]:
    """The words of a text as typed: runs of letters and digits."""
    return _WORT.findall(text or "")


def staemme(text: str) -> list[str]:
    """The stems of a text, in order. Stop words stay in the index, so that a phrase like
    „Einer für Alle“ is found; a query leaves them out of single-word terms."""
    return [s for s in (stamm(w) for w in woerter(text)) if s]


def analysiert(text: str) -> str:
    """The stems of a text as one string (what the index stores)."""
    return " ".join(staemme(text))


def gefaltet(wort: str) -> str:
    """A word as the vocabulary keeps it for suggestions: lower case, ß as ss."""
    return wort.lower().replace("ß", "ss")
