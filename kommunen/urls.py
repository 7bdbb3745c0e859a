"""URLs of the kommunen app."""

app_name = "kommunen"

urlpatterns: list = []
