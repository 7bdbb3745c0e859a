"""The legal pages: the operator's text from the admin, plus what the configuration says."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from ..models import RechtstextArt
from ..selectors import rechtstext_lesen


def _seite(request, art: RechtstextArt, vorlage: str, **extra):
    rechtstext = rechtstext_lesen(art=art)
    text, sprache = ("", None) if rechtstext is None else rechtstext.text(get_language())
    return render(
        request,
        vorlage,
        {
            "titel": art.label,
            "rechtstext": rechtstext,
            "text": text,
            # The German text on the English page is marked as German (WCAG 3.1.2).
            "text_sprache": sprache if sprache != get_language() else None,
            **extra,
        },
    )


@require_safe
def impressum(request):
    return _seite(request, RechtstextArt.IMPRESSUM, "portal/impressum.html")


@require_safe
def datenschutz(request):
    """The privacy notice; what the Protokoll keeps of reads follows the operator's settings,
    so that part is rendered from them and cannot go stale in the text."""
    return _seite(
        request,
        RechtstextArt.DATENSCHUTZ,
        "portal/datenschutz.html",
        lesen_monate=settings.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE,
        lesen_pro_person=settings.PROTOKOLL_LESEN_PRO_PERSON,
    )


@require_safe
def barrierefreiheit(request):
    return _seite(request, RechtstextArt.BARRIEREFREIHEIT, "portal/barrierefreiheit.html")
