"""URLs of the projects app."""

from django.urls import path

from . import views

app_name = "projekte"

urlpatterns = [
    path("", views.projekt_liste, name="liste"),
    path("folgen/", views.folgen, name="folgen"),
    path("<int:pk>/", views.projekt_detail, name="detail"),
    path("neu/", views.projekt_neu, name="neu"),
    path("neu/aehnliche/", views.projekt_aehnliche, name="aehnliche"),
    path("<int:pk>/bearbeiten/", views.projekt_bearbeiten, name="bearbeiten"),
    path("<int:pk>/loeschen/", views.projekt_loeschen, name="loeschen"),
    path("<int:pk>/zurueckziehen/", views.projekt_zurueckziehen, name="zurueckziehen"),
    path("<int:pk>/freigeben/", views.projekt_freigeben, name="freigeben"),
    path(
        "<int:pk>/freigeben/pruefen/",
        views.projekt_freigabe_pruefen,
        name="freigabe_pruefen",
    ),
    path("<int:pk>/zugang/", views.projekt_zugang, name="zugang"),
    path("<int:pk>/nachnutzung/", views.projekt_nachnutzung, name="nachnutzung"),
    path("<int:pk>/einsparung/", views.projekt_einsparung, name="einsparung"),
]
