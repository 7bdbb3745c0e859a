"""The operator's admin of the legal pages (Impressum, Datenschutzerklärung, Barrierefreiheit).

Only staff with the model's permissions reach it (Django's admin); a city's users never do.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.templatetags.markdown_sicher import markdown_zu_html

from . import services
from .models import Rechtstext, RechtstextArt


@admin.register(Rechtstext)
class RechtstextAdmin(admin.ModelAdmin):
    list_display = ("art", "geaendert_am", "geaendert_von", "englisch", "ansehen")
    readonly_fields = ("geaendert_am", "geaendert_von", "vorschau")
    fieldsets = (
        (None, {"fields": ("art", "text_de", "text_en")}),
        (
            _("Erklärung zur Barrierefreiheit"),
            {
                "fields": ("erklaerung_vom", "geprueft_am"),
                "description": _(
                    "Die Seite nennt beide Daten über dem Text. Für die anderen Seiten leer lassen."
                ),
            },
        ),
        (_("Stand"), {"fields": ("geaendert_am", "geaendert_von", "vorschau")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # The kind of an existing page is fixed: its address and its history depend on it.
        return (*self.readonly_fields, "art") if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # A published legal page must not disappear by one click; it is changed, not removed.
        return False

    @admin.display(description=_("Englische Fassung"), boolean=True)
    def englisch(self, obj: Rechtstext) -> bool:
        return bool(obj.text_en.strip())

    @admin.display(description=_("Öffentliche Seite"))
    def ansehen(self, obj: Rechtstext) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse(RechtstextArt(obj.art).value), _("Ansehen")
        )

    @admin.display(description=_("Vorschau (gespeicherter deutscher Text)"))
    def vorschau(self, obj: Rechtstext) -> str:
        if obj is None or not obj.pk:
            return "–"
        # Rendered as the public page renders it: Markdown, sanitised by nh3.
        html = markdown_zu_html(obj.text_de, oberste_ebene=2)
        return mark_safe(f'<div class="rechtstext-vorschau">{html}</div>')  # noqa: S308

    def save_model(self, request, obj, form, change):
        services.rechtstext_speichern(rechtstext=obj, von=request.user)
