"""Django admin for the operator: Kommunen, Verbünde, users; Freigaben and Protokoll read-only.

Object permissions are not editable here (no GuardedModelAdmin): they are derived from
ownership and Freigaben by kommunen.sharing, and a hand-made row would be undone by the next sync.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Benachrichtigung,
    Benutzer,
    Freigabe,
    Kommune,
    Protokoll,
    Verbund,
    Zugangsanfrage,
)


@admin.register(Kommune)
class KommuneAdmin(admin.ModelAdmin):
    list_display = ("name", "ags", "slug", "aktiv")
    list_filter = ("aktiv",)
    search_fields = ("name", "ags", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        neu = services.kommune_anlegen(name=obj.name, slug=obj.slug, ags=obj.ags, aktiv=obj.aktiv)
        obj.pk = neu.pk
        if obj.kontakt:
            # kommune_anlegen sets up the groups; the public contact is a plain field beside them.
            neu.kontakt = obj.kontakt
            neu.save(update_fields=["kontakt"])

    def has_delete_permission(self, request, obj=None):
        return False


class VerbundForm(forms.ModelForm):
    class Meta:
        model = Verbund
        fields = [
            "name",
            "slug",
            "vereinbarung_titel",
            "vereinbarung_datum",
            "vereinbarung_dokument",
            "mitglieder",
        ]


@admin.register(Verbund)
class VerbundAdmin(admin.ModelAdmin):
    form = VerbundForm
    list_display = ("name", "vereinbarung_datum")
    filter_horizontal = ("mitglieder",)
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        if not change:
            neu = services.verbund_anlegen(
                name=obj.name,
                slug=obj.slug,
                vereinbarung_titel=obj.vereinbarung_titel,
                vereinbarung_datum=obj.vereinbarung_datum,
            )
            obj.pk = neu.pk
            obj.gruppe = neu.gruppe
        obj.save()

    def save_related(self, request, form, formsets, change):
        # Membership goes through the service, which keeps the Verbund's group in step.
        services.verbund_mitglieder_setzen(
            verbund=form.instance, kommunen=form.cleaned_data["mitglieder"], by=request.user
        )

    def has_delete_permission(self, request, obj=None):
        return False


class BenutzerForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        probe = Benutzer(
            username=cleaned.get("username", "x"),
            kommune=cleaned.get("kommune"),
            rolle=cleaned.get("rolle") or "",
            is_staff=cleaned.get("is_staff", self.instance.is_staff),
        )
        try:
            Benutzer.clean(probe)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return cleaned


@admin.register(Benutzer)
class BenutzerAdmin(UserAdmin):
    form = type("BenutzerChangeForm", (BenutzerForm, UserAdmin.form), {})
    add_form = type("BenutzerAddForm", (BenutzerForm, UserAdmin.add_form), {})
    list_display = ("username", "get_full_name", "kommune", "rolle", "is_staff", "is_active")
    list_filter = ("kommune", "rolle", "is_staff", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets[:1],
        (_("Kommune und Rolle"), {"fields": ("kommune", "rolle", "benachrichtigung")}),
        *UserAdmin.fieldsets[1:],
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "kommune", "rolle", "email")}),
    )

    def get_fieldsets(self, request, obj=None):
        sets = super().get_fieldsets(request, obj)
        # Group membership is derived from Kommune and role; operators never edit it by hand.
        return [
            (
                name,
                {
                    **opts,
                    "fields": tuple(
                        f for f in opts["fields"] if f not in ("groups", "user_permissions")
                    ),
                },
            )
            for name, opts in sets
        ]

    def save_model(self, request, obj, form, change):
        try:
            services.benutzer_speichern(user=obj, by=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            raise


class NurLesen(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Protokoll)
class ProtokollAdmin(NurLesen):
    list_display = (
        "zeitpunkt",
        "kommune",
        "akteur_name",
        "aktion",
        "objekt_titel",
        "freigabe_id_ref",
    )
    list_filter = ("aktion", "kommune")
    search_fields = ("objekt_titel", "akteur_name")
    date_hierarchy = "zeitpunkt"


@admin.register(Freigabe)
class FreigabeAdmin(NurLesen):
    list_display = (
        "pk",
        "eigentuemer",
        "empfaenger_bezeichnung",
        "umfang",
        "status",
        "gueltig_bis",
    )
    list_filter = ("status", "umfang", "empfaenger_art", "eigentuemer")


@admin.register(Zugangsanfrage)
class ZugangsanfrageAdmin(NurLesen):
    list_display = ("pk", "eigentuemer", "kommune", "antragsteller", "status", "gestellt_am")
    list_filter = ("status",)


@admin.register(Benachrichtigung)
class BenachrichtigungAdmin(NurLesen):
    list_display = ("erstellt_am", "empfaenger", "ereignis", "betreff", "zugestellt_am", "versuche")
    list_filter = ("ereignis",)
