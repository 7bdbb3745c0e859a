"""Authentication: users of a deactivated Kommune cannot log in."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models.expressions import RawSQL

from . import sharing
from .models import Benachrichtigung


class KommunenBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return user.kommune_id is None or user.kommune.aktiv

    def get_user(self, user_id):
        """The request's user in one query: with the Kommune, the groups (sharing) and the
        number of unread notifications that every page's header shows."""
        qs = sharing.angemeldete_benutzer(get_user_model()._default_manager.all()).annotate(
            _wv_ungelesen=RawSQL(_ungelesen_sql(), ())  # noqa: S611 - names from the models
        )
        try:
            user = qs.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


@cache
def _ungelesen_sql() -> str:
    """The number of the user's unread notifications as a subquery: SQL of its own, because
    the ORM would compile its expression anew on every request."""
    q = connection.ops.quote_name
    b = Benachrichtigung._meta
    benutzer = q(get_user_model()._meta.db_table)
    return (
        f"SELECT COUNT(*) FROM {q(b.db_table)} WHERE"  # noqa: S608 - names, no input
        f" {q(b.get_field('empfaenger').column)} = "
        f"{benutzer}.{q(get_user_model()._meta.pk.column)} "
        f"AND {q(b.get_field('gelesen_am').column)} IS NULL"
    )
