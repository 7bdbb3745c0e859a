"""Writes of the portal's own content (the legal pages) and the password link mail."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kommunen.backends import KommunenBackend

from .models import Rechtstext

log = logging.getLogger(__name__)


@transaction.atomic
def rechtstext_speichern(*, rechtstext: Rechtstext, von) -> Rechtstext:
    """Store a legal page as the operator wrote it, noting who changed it (the admin's own
    history keeps every earlier change with its author)."""
    rechtstext.geaendert_von = von
    rechtstext.full_clean()
    rechtstext.save()
    return rechtstext


def passwort_link_senden(*, user_id: int, domain: str, use_https: bool, sprache: str) -> bool:
    """Mail a link to set a new password to an account that may still sign in (checked again:
    it may have been deactivated since the request). The token is made here, so it never
    travels through the broker. False if nothing was sent."""
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if (
        user is None
        or not user.email
        or not user.has_usable_password()
        or not KommunenBackend().user_can_authenticate(user)
    ):
        return False
    kontext = {
        "user": user,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "portal": _("Wissensverbund"),
        "stunden": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    with translation.override(sprache):
        betreff = "".join(
            render_to_string("registration/passwort_mail_betreff.txt", kontext).splitlines()
        )
        text = render_to_string("registration/passwort_mail.txt", kontext)
    try:
        EmailMessage(betreff, text, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    except Exception:  # noqa: BLE001 - the person asks again; the log tells the operator
        log.exception("Passwort-Link an Konto %s nicht gesendet", user.pk)
        return False
    return True
