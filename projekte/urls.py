"""URLs of the projects app."""

from django.urls import path

from . import views

app_name = "projekte"

urlpatterns = [
    path("<int:pk>/", views.projekt_detail, name="detail"),
]
