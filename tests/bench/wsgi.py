"""WSGI entry of the benchmark's gunicorn: the portal with the benchmark's URLconf."""

from tests.bench import umgebung

umgebung.django_starten()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
