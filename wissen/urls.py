"""URLs of the results app."""

from django.urls import path

from . import views

app_name = "wissen"

urlpatterns = [
    path("<int:pk>/", views.ergebnis_detail, name="detail"),
]
