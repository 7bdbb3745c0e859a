"""What every admin page shares: who may use it, page sizes, a service's messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

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
