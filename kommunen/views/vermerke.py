"""The download of a Freigabevermerk (the PDF memo of a decision)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import selectors


@login_required
@require_GET
def vermerk_download(request, pk: int, vermerk_pk: int):
    """Only the owner Kommune's Freigabe-Admins; everyone else gets the 404 of a missing memo
    (unlike the admin pages' 403: a memo's address must not tell that it exists)."""
    vermerk = selectors.vermerk_zum_herunterladen(user=request.user, freigabe_pk=pk, pk=vermerk_pk)
    try:
        datei = vermerk.datei.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("Die Datei ist nicht verfügbar.")) from exc
    response = FileResponse(
        datei, as_attachment=True, filename=vermerk.dateiname, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response
