"""Authentication: users of a deactivated Kommune cannot log in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

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
        ungelesen = (
            Benachrichtigung.objects.filter(empfaenger_id=OuterRef("pk"), gelesen_am__isnull=True)
            .order_by()
            .values("empfaenger_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        qs = sharing.angemeldete_benutzer(get_user_model()._default_manager.all()).annotate(
            _wv_ungelesen=Coalesce(Subquery(ungelesen, output_field=IntegerField()), Value(0))
        )
        try:
            user = qs.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
