"""URL map of the portal: wires the apps' URLs, holds no domain logic."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import dashboard, views
from .forms import AnmeldeForm
from .views import konto

# The operator's admin carries the portal's name, not Django's.
admin.site.site_header = _("Wissensverbund – Betrieb")
admin.site.site_title = _("Wissensverbund")
admin.site.index_title = _("Verwaltung des Portals")

handler400 = "portal.views.fehler_400"
handler403 = "portal.views.fehler_403"
handler404 = "portal.views.fehler_404"
handler500 = "portal.views.fehler_500"

urlpatterns = [
    path("", views.start, name="start"),
    path(
        "anmelden/",
        auth_views.LoginView.as_view(
            authentication_form=AnmeldeForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/passwort/vergessen/", konto.PasswortVergessen.as_view(), name="passwort_vergessen"),
    path(
        "konto/passwort/vergessen/gesendet/",
        konto.PasswortVergessenGesendet.as_view(),
        name="passwort_vergessen_gesendet",
    ),
    path(
        "konto/passwort/neu/<uidb64>/<token>/",
        konto.PasswortNeu.as_view(),
        name="passwort_neu",
    ),
    path(
        "konto/passwort/neu/gesetzt/",
        konto.PasswortNeuGesetzt.as_view(),
        name="passwort_neu_gesetzt",
    ),
    path("impressum/", views.impressum, name="impressum"),
    path("datenschutz/", views.datenschutz, name="datenschutz"),
    path(
        "rechtsgrundlagen/",
        views.rechtsgrundlagen,
        name="rechtsgrundlagen",
    ),
    path("barrierefreiheit/", views.barrierefreiheit, name="barrierefreiheit"),
    path("suche/", views.suche_seite, name="suche"),
    path("neu/", views.neu_anlegen, name="neu_anlegen"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kommunen.urls")),
    path("projekte/", include("projekte.urls")),
    path("ergebnisse/", include("wissen.urls")),
    path("betrieb/", admin.site.urls),
]
