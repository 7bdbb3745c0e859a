"""„Meine Anträge“: the Freigaben a person proposed and the access requests she filed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors


@login_required
@require_GET
def meine_antraege(request):
    return render(
        request, "kommunen/meine_antraege.html", selectors.meine_antraege(user=request.user)
    )
