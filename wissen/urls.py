"""URLs of the results app."""

from django.urls import path

from . import views

app_name = "wissen"

urlpatterns = [
    path("", views.ergebnis_liste, name="liste"),
    path("<int:pk>/", views.ergebnis_detail, name="detail"),
    path("neu/", views.ergebnis_neu, name="neu"),
    path("neu/aehnliche/", views.ergebnis_aehnliche, name="aehnliche"),
    path("<int:pk>/bearbeiten/", views.ergebnis_bearbeiten, name="bearbeiten"),
    path("<int:pk>/loeschen/", views.ergebnis_loeschen, name="loeschen"),
    path("<int:pk>/dokumente/neu/", views.dokument_neu, name="dokument_neu"),
    path(
        "<int:pk>/dokumente/<int:dok>/status/",
        views.dokument_status,
        name="dokument_status",
    ),
    path("<int:pk>/freigeben/", views.ergebnis_freigeben, name="freigeben"),
    path(
        "<int:pk>/freigeben/pruefen/",
        views.ergebnis_freigabe_pruefen,
        name="freigabe_pruefen",
    ),
    path("<int:pk>/zugang/", views.ergebnis_zugang, name="zugang"),
    path("<int:pk>/dokumente/<int:dok_pk>/", views.dokument_download, name="download"),
    path(
        "<int:pk>/dokumente/<int:dok_pk>/loeschen/",
        views.dokument_loeschen,
        name="dokument_loeschen",
    ),
    path(
        "<int:pk>/dokumente/<int:dok_pk>/fassungen/<int:fassung_pk>/",
        views.fassung_download,
        name="fassung_download",
    ),
    path("<int:pk>/zurueckziehen/", views.ergebnis_zurueckziehen, name="zurueckziehen"),
]
