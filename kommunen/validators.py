"""Text checks shared by every app: single-line fields without control characters.

Imports no app, so models and forms of kommunen, projekte and wissen can all use it.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Line and paragraph separators are not Cc/Cf but end a line all the same.
_ZEILENENDEN = {"\u2028", "\u2029", "\x85"}


def _steuerzeichen(ch: str) -> bool:
    return ch in _ZEILENENDEN or unicodedata.category(ch) in ("Cc", "Cf")


@deconstructible
class EinzeiligValidator:
    """Refuses CR, LF, TAB, NUL and every other control or format character (Unicode Cc, Cf).

    Meant for titles, names and other single-line fields: their values end up in mail
    subjects, CSV exports and page titles, where a line break changes the meaning. Multi-line
    text areas do not use it.
    """

    message = _(
        "Bitte ohne Zeilenumbrüche, Tabulatoren und andere Steuerzeichen eingeben "
        "(dieses Feld ist einzeilig)."
    )
    code = "steuerzeichen"

    def __call__(self, value) -> None:
        if isinstance(value, str) and any(_steuerzeichen(ch) for ch in value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, EinzeiligValidator)

    def __hash__(self) -> int:
        return hash(EinzeiligValidator)


einzeilig = EinzeiligValidator()


def einzeilig_machen(text: str, max_laenge: int) -> str:
    """`text` as one line for a mail subject: control characters become spaces, runs of
    whitespace one space, and it is cut to `max_laenge` characters (with an ellipsis)."""
    text = "".join(" " if _steuerzeichen(ch) else ch for ch in str(text))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > max_laenge:
        text = text[: max_laenge - 1].rstrip() + "…"
    return text
