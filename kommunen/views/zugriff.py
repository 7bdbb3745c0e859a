"""What every admin page shares: who may use it, page sizes, a service's messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .. import selectors

EINGANG_MAX = 100
SEITE = 50


def nur_freigabe_admin(user) -> None:
    """Admin pages: a clear 403 for other roles (they know these pages exist)."""
    if not user.ist_freigabe_admin:
        raise PermissionDenied(_("Diese Seite ist den Freigabe-Admins einer Kommune vorbehalten."))


def fehler_liste(exc: ValidationError) -> list[str]:
    """Messages of a service's ValidationError (rule violations keep their rule id first)."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def anhaengen(objekte, prefix: str, fehler: dict | None, eingaben: dict | None) -> None:
    """Give each item its own errors and previous input, for the form shown again, and each
    Freigabe the state its decision form posts back (selectors.entscheidung_stand)."""
    for o in objekte:
        o.fehler = (fehler or {}).get(f"{prefix}{o.pk}", [])
        o.eingabe = (eingaben or {}).get(f"{prefix}{o.pk}", {})
        if prefix == "f":
            o.stand = selectors.entscheidung_stand(o)
