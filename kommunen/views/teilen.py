"""Pages every shareable object has, called by the apps' views with the object they loaded
(through `sharing`): the proposal of a Freigabe with its rule check, and the access request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import rules, selectors
from .. import services as kommunen_services
from ..forms import FreigabeVorschlagForm, ZurueckziehenForm
from ..models import RECHTLICHE_FELDER
from ..rules import RegelVerstoss
from ..selectors import Folgen


def freigabe_vorschlagen(request, objekt, *, pruef_url: str):
    """The proposal form with its rule check. Works without JavaScript: the button
    "Regeln prüfen" re-renders the page with the check; htmx only updates it in place."""
    form = FreigabeVorschlagForm(request.POST if request.method == "POST" else None, objekt=objekt)
    verstoesse = None
    status = 200
    if request.method == "POST":
        if "pruefen" in request.POST:
            verstoesse = form.regelpruefung(request.user)
        elif form.is_valid():
            try:
                freigabe = kommunen_services.freigabe_beantragen(
                    objekt=objekt, by=request.user, **form.service_argumente()
                )
            except RegelVerstoss as exc:
                verstoesse = exc.verstoesse
                status = 400
            except ValidationError as exc:
                form.fehler_uebernehmen(exc)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Freigabe Nr. %(nr)s an %(an)s ist beantragt. Eine Freigabe-Admin Ihrer "
                        "Kommune entscheidet darüber."
                    )
                    % {"nr": freigabe.pk, "an": freigabe.empfaenger_bezeichnung},
                )
                return redirect(objekt.get_absolute_url())
        else:
            verstoesse = form.regelpruefung(request.user)
            status = 400
    return render(
        request,
        "kommunen/freigabe_form.html",
        {
            "form": form,
            "objekt": objekt,
            "verstoesse": verstoesse,
            "geprueft": verstoesse is not None,
            "pruef_url": pruef_url,
            # A refused proposal names each violation in the summary at the top too.
            "regelverstoesse": _mit_abhilfe(verstoesse) if status == 400 else [],
        },
        status=status,
    )


def _mit_abhilfe(verstoesse) -> list[dict]:
    return [{"text": str(v), "abhilfe": rules.abhilfe_fuer(v.rule)} for v in verstoesse or []]


def freigabe_regelpruefung(request, objekt):
    """The rule-check fragment for htmx, as the form changes."""
    form = FreigabeVorschlagForm(request.POST, objekt=objekt)
    verstoesse = form.regelpruefung(request.user)
    return render(
        request,
        "kommunen/_regelpruefung.html",
        {"verstoesse": verstoesse, "geprueft": verstoesse is not None},
    )


def zugang_stellen(request, objekt, form) -> list[str] | None:
    """Shared by both apps: validate, call the service, say what happened (None = done)."""
    if request.user.kommune_id is None or request.user.kommune_id == objekt.kommune_id:
        raise Http404(_("Nicht gefunden."))
    if not form.is_valid():
        return list(form.errors)
    try:
        kommunen_services.zugangsanfrage_stellen(
            objekt=objekt,
            by=request.user,
            begruendung=form.cleaned_data["begruendung"],
            umfang=form.cleaned_data["umfang"],
        )
    except PermissionDenied as exc:
        raise Http404(_("Nicht gefunden.")) from exc
    except ValidationError as exc:
        fehler_ans_formular(form, exc)
        return list(form.errors)
    messages.success(
        request,
        _("Ihre Anfrage ist gestellt. Die Freigabe-Admins von %(kommune)s entscheiden darüber.")
        % {"kommune": objekt.kommune},
    )
    return None


def fehler_ans_formular(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form)."""
    if hasattr(exc, "error_dict"):
        for feld, fehler in exc.message_dict.items():
            form.add_error(feld if feld in form.fields else None, fehler)
    else:
        form.add_error(None, exc.messages)


def objekt_loeschen_seite(request, objekt, *, loeschen, zurueck: str, angaben):
    """Confirmation page of deleting a shareable object, and the deletion on POST.

    The caller has checked who may delete (its selector answers 404 to anyone else).
    `loeschen()` calls the app's service; `angaben()` gives what else the page lists (read only
    when the page is shown); `zurueck` is where a successful deletion leads.
    """
    fehler = []
    if request.method == "POST":
        titel = objekt.titel
        try:
            loeschen()
        except ValidationError as exc:
            fehler = exc.messages
        else:
            messages.success(
                request,
                _("„%(titel)s“ wurde gelöscht. Das Protokoll hält fest, wer es wann gelöscht hat.")
                % {"titel": titel},
            )
            return redirect(zurueck)
    return render(
        request,
        "kommunen/objekt_loeschen.html",
        {
            "objekt": objekt,
            "fehler": fehler,
            **angaben(),
            "freigaben": len(selectors.freigaben_fuer(user=request.user, objekt=objekt)),
        },
        status=400 if fehler else 200,
    )


def objekt_zurueckziehen_seite(request, objekt):
    """Confirmation page of withdrawing a shareable object (with a reason), and the withdrawal
    on POST. The caller has checked who may withdraw (its selector answers 404 to anyone else)."""
    form = ZurueckziehenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            beendet = kommunen_services.objekt_zurueckziehen(
                objekt=objekt, by=request.user, grund=form.cleaned_data["grund"]
            )
        except ValidationError as exc:
            fehler_ans_formular(form, exc)
        else:
            messages.success(
                request,
                _(
                    "„%(titel)s“ ist zurückgezogen: %(n)s Freigabe(n) beendet, %(a)s "
                    "Zugangsanfrage(n) erledigt. Wer den Zugang verliert, wird benachrichtigt; "
                    "das Protokoll hält fest, wer es wann und warum zurückgezogen hat."
                )
                % {
                    "titel": objekt,
                    "n": len(beendet.freigaben),
                    "a": len(beendet.anfragen),
                },
            )
            return redirect(objekt.get_absolute_url())
    return render(
        request,
        "kommunen/objekt_zurueckziehen.html",
        {
            "objekt": objekt,
            "form": form,
            "offen": selectors.freigaben_offen_von(objekt),
            "anfragen": selectors.anfragen_offen_von(objekt),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- what a change does, before and after it is saved ------------------------------------------


def folgen_vor_dem_speichern(request, objekt, felder: dict) -> Folgen | None:
    """What saving the legal fields in `felder` would do to the Freigaben of `objekt`, while
    the publisher has not yet confirmed it ("Trotzdem speichern"); None when it does nothing
    or is confirmed."""
    if objekt is None or request.POST.get("folgen_bestaetigt") == "1":
        return None
    neu = {k: v for k, v in felder.items() if k in RECHTLICHE_FELDER}
    folgen = selectors.rechtliche_folgen(objekt, neu)
    return folgen or None


def folgen_meldung(folgen: Folgen | None) -> str:
    """The sentence after saving that says what happened to the Freigaben."""
    teile = [_("Die Änderungen wurden gespeichert.")]
    arten = (
        ("aussetzen", _("Ausgesetzt (kein Zugang, bis erneut erteilt): %(liste)s.")),
        ("kuerzen", _("Bis zum Löschdatum gekürzt: %(liste)s.")),
        ("beenden", _("Beendet (begänne nach dem Löschdatum): %(liste)s.")),
        ("zurueckhalten", _("Dokumente zurückgehalten bis zur erneuten Prüfung: %(liste)s.")),
    )
    for was, satz in arten:
        betroffen = folgen.von(was) if folgen else []
        if betroffen:
            liste = ", ".join(
                _("Nr. %(nr)s an %(an)s")
                % {"nr": f.freigabe.pk, "an": f.freigabe.empfaenger_bezeichnung}
                for f in betroffen
            )
            teile.append(satz % {"liste": liste})
    return " ".join(teile)
