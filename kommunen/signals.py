"""Keep group memberships in step with users' Kommune and role and with Verbund membership,
and raise the generation of the rights when what the cached lists hold changes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from . import sharing
from .models import Benutzer, Freigebbar, Kommune, Verbund


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def benutzer_gespeichert(sender, instance: Benutzer, raw=False, **kwargs):
    if raw:
        return
    from .services import mitgliedschaften_sync

    mitgliedschaften_sync(instance)


@receiver(m2m_changed, sender=Verbund.mitglieder.through)
def verbund_mitglieder_geaendert(sender, instance, action, reverse, pk_set, **kwargs):
    from .services import MITGLIEDSCHAFT_UEBER_DIENST, verbund_gruppe_abgleichen

    if action in ("pre_add", "pre_remove", "pre_clear") and not MITGLIEDSCHAFT_UEBER_DIENST:
        # Membership is a grant: only the audited service changes it (VERBUND-1, Protokoll).
        raise ValidationError(
            _(
                "Mitgliedschaften in einem Verbund ändert nur services.verbund_mitglieder_setzen "
                "(mit Protokoll und Prüfung der Freigaben)."
            )
        )
    if action not in ("post_add", "post_remove", "post_clear"):
        return

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


@receiver(post_save)
@receiver(post_delete)
def sichtbares_geaendert(sender, instance=None, raw=False, **kwargs):
    """A shareable object or a Kommune was saved or deleted: the lists kept per group set
    (kommunen.sichtlisten) filter and sort by their fields, so they are computed anew."""
    if raw:
        return
    if isinstance(instance, Kommune):
        sharing.generation_erhoehen(None)
    elif isinstance(instance, Freigebbar):
        sharing.objekt_geaendert(instance)


@receiver(m2m_changed)
def zuordnung_geaendert(sender, instance, action, model, pk_set=None, **kwargs):
    """Themen and Initiativen of a shareable object (the lists' facets) changed."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Freigebbar):
        sharing.objekt_geaendert(instance)
    elif issubclass(model, Freigebbar):
        # From the other side (a Thema's objects): the objects named, or all.
        if pk_set:
            sharing.generation_erhoehen(sharing.objekte_gruppen(model, pk_set))
        else:
            sharing.generation_erhoehen(None)
