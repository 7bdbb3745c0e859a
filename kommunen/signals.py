"""Keep group memberships in step with users' Kommune and role and with Verbund membership."""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.dispatch import receiver

from . import sharing
from .models import Benutzer, Verbund


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def benutzer_gespeichert(sender, instance: Benutzer, raw=False, **kwargs):
    if raw:
        return
    from .services import mitgliedschaften_sync

    mitgliedschaften_sync(instance)


@receiver(m2m_changed, sender=Verbund.mitglieder.through)
def verbund_mitglieder_geaendert(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .services import verbund_gruppe_abgleichen

    verbunde = Verbund.objects.filter(pk__in=pk_set) if reverse and pk_set else None
    if reverse:
        verbunde = verbunde if verbunde is not None else Verbund.objects.all()
        for verbund in verbunde:
            verbund_gruppe_abgleichen(verbund)
    else:
        verbund_gruppe_abgleichen(instance)


@receiver(post_migrate)
def caches_leeren(sender, **kwargs):
    sharing.clear_caches()
