"""Drop cached facet options when a Kommune, Thema or Initiative changes."""

from django.db.models.signals import post_delete, post_save

from kommunen.models import Kommune

from .models import Initiative, Thema
from .selectors import facetten_optionen_vergessen


def verbinden() -> None:
    for model in (Kommune, Thema, Initiative):
        for signal in (post_save, post_delete):
            signal.connect(
                facetten_optionen_vergessen, sender=model, dispatch_uid=f"facetten-{model.__name__}"
            )
