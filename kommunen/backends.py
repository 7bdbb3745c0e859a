"""Authentication: users of a deactivated Kommune cannot log in."""

from django.contrib.auth.backends import ModelBackend


class KommunenBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return user.kommune_id is None or user.kommune.aktiv
