"""Drop cached facet options when a Kommune, Thema or Initiative changes, and a user's cached
Abos when one of them changes (also when a deleted Thema takes its Abos with it)."""

from django.db.models.signals import post_delete, post_save

from kommunen.models import Kommune

from .models import Abo, Initiative, Thema
from .selectors import abos_vergessen, facetten_optionen_vergessen


def abo_geaendert(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        abos_vergessen(benutzer_id=instance.benutzer_id)


def verbinden() -> None:
    for model in (Kommune, Thema, Initiative):
        for signal in (post_save, post_delete):
            signal.connect(
                facetten_optionen_vergessen, sender=model, dispatch_uid=f"facetten-{model.__name__}"
            )
    for signal in (post_save, post_delete):
        signal.connect(abo_geaendert, sender=Abo, dispatch_uid="abos-vergessen")
