"""Template context shared by every page."""

from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    ungelesen = 0
    if user is not None and user.is_authenticated:
        # Read with the user (kommunen.backends) unless this request has marked some read.
        ungelesen = getattr(user, "_wv_ungelesen", None)
        if ungelesen is None:
            ungelesen = user.benachrichtigungen.filter(gelesen_am__isnull=True).count()
    return {
        "PORTAL_BETREIBER": settings.PORTAL_BETREIBER,
        "PORTAL_KONTAKT_EMAIL": settings.PORTAL_KONTAKT_EMAIL,
        "ungelesen": ungelesen,
    }
