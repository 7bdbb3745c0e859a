"""The forms of a page as a browser sees them: fields, their current values, the buttons.

The load test fills in the portal's real forms (CSRF token, preselected options, hidden
fields included) instead of posting data it made up, so a renamed field breaks it the way it
would break a user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Formular:
    action: str
    method: str
    enctype: str
    # (name, value) in document order, as a browser sends them (checked boxes only).
    felder: list[tuple[str, str]] = field(default_factory=list)
    # name -> the values offered by <select> options, radio buttons and checkboxes
    auswahl: dict[str, list[str]] = field(default_factory=dict)
    knoepfe: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""  # the form's visible text, e.g. to see a rule check near it

    def namen(self) -> set[str]:
        return {n for n, _w in self.felder} | set(self.auswahl)

    def daten(self, werte: dict | None = None, knopf: tuple[str, str] | None = None) -> list:
        """What the form sends with `werte` filled in (a list value sets a multiple choice)."""
        werte = dict(werte or {})
        unbekannt = set(werte) - self.namen()
        if unbekannt:
            raise KeyError(f"Feld(er) nicht im Formular {self.action}: {sorted(unbekannt)}")
        aus = [(n, w) for n, w in self.felder if n not in werte]
        for n, w in werte.items():
            if isinstance(w, list | tuple):
                aus += [(n, str(x)) for x in w]
            elif w is not None:
                aus.append((n, str(w)))
        if knopf is not None:
            if knopf not in self.knoepfe:
                raise KeyError(f"Knopf {knopf} nicht im Formular {self.action}")
            aus.append(knopf)
        return aus


class _Leser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.formulare: list[Formular] = []
        self._form: Formular | None = None
        self._select: str | None = None
        self._select_erste: str | None = None
        self._select_gewaehlt = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._puffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Formular(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
            )
            self.formulare.append(self._form)
            return
        f = self._form
        if f is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            typ = a.get("type", "text").lower()
            if typ in ("checkbox", "radio"):
                f.auswahl.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    f.felder.append((name, a.get("value", "on")))
            elif typ in ("submit", "image"):
                f.knoepfe.append((name, a.get("value", "")))
            elif typ not in ("file", "reset", "button"):
                f.felder.append((name, a.get("value", "")))
        elif tag == "button" and name:
            if a.get("type", "submit").lower() == "submit":
                f.knoepfe.append((name, a.get("value", "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._select_erste, self._select_gewaehlt = name, None, False
            f.auswahl.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._puffer = name, []

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"].append(data)
        if self._textarea is not None:
            self._puffer.append(data)
        if self._form is not None:
            self._form.text += data

    def _option_ende(self):
        o, self._option = self._option, None
        if o is None or self._form is None or self._select is None:
            return
        wert = o["value"] if o["value"] is not None else "".join(o["text"]).strip()
        self._form.auswahl[self._select].append(wert)
        if self._select_erste is None:
            self._select_erste = wert
        if o["selected"] and not self._select_gewaehlt:
            self._form.felder.append((self._select, wert))
            self._select_gewaehlt = True

    def handle_endtag(self, tag):
        if tag == "option":
            self._option_ende()
        elif tag == "select" and self._select is not None:
            self._option_ende()
            if not self._select_gewaehlt and self._select_erste is not None and self._form:
                self._form.felder.append((self._select, self._select_erste))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._puffer)
            self._form.felder.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def formulare(html: str) -> list[Formular]:
    leser = _Leser()
    leser.feed(html)
    leser.close()
    return leser.formulare


def formular(html: str, action: str | re.Pattern | None = None, feld: str | None = None):
    """The first form whose action matches (a string: equal, or empty for "this page") and
    that has field `feld`; None if there is none."""
    for f in formulare(html):
        if isinstance(action, re.Pattern):
            if not action.search(f.action):
                continue
        elif action is not None and f.action != action:
            continue
        if feld is not None and feld not in f.namen():
            continue
        return f
    return None
