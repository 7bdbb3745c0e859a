"""Operator-editable reference lists: Themen and Initiativen."""

from django.contrib import admin

from .models import Initiative, Thema


@admin.register(Thema)
class ThemaAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "ebene")
    list_filter = ("ebene",)
    prepopulated_fields = {"slug": ("name",)}
