"""URLs of the kommunen app: the sharing admins' pages and everyone's notifications."""

from django.urls import path

from . import views

app_name = "kommunen"

urlpatterns = [
    path("freigaben/eingang/", views.eingang, name="eingang"),
    path("freigaben/matrix/", views.matrix, name="matrix"),
    path("freigaben/meine/", views.meine_antraege, name="meine_antraege"),
    path("freigaben/<int:pk>/", views.freigabe_detail, name="freigabe_detail"),
    path(
        "freigaben/<int:pk>/entscheiden/", views.freigabe_entscheiden, name="freigabe_entscheiden"
    ),
    path(
        "freigaben/<int:pk>/vermerke/<int:vermerk_pk>.pdf",
        views.vermerk_download,
        name="vermerk_download",
    ),
    path("anfragen/<int:pk>/entscheiden/", views.anfrage_entscheiden, name="anfrage_entscheiden"),
    path("protokoll/", views.protokoll, name="protokoll"),
    path("protokoll/export.csv", views.protokoll_export, name="protokoll_export"),
    path("benachrichtigungen/", views.benachrichtigungen, name="benachrichtigungen"),
    path(
        "benachrichtigungen/<int:pk>/gelesen/",
        views.benachrichtigung_gelesen,
        name="benachrichtigung_gelesen",
    ),
    path(
        "benachrichtigungen/alle-gelesen/",
        views.benachrichtigungen_alle_gelesen,
        name="benachrichtigungen_alle_gelesen",
    ),
    path(
        "konto/benachrichtigungen/",
        views.konto_benachrichtigungen,
        name="konto_benachrichtigungen",
    ),
]
