# One image for web, worker and beat. Build: docker build -t wissensverbund .
# The same steps run without Docker in scripts/deploy-check (part of scripts/test).

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY portal ./portal
COPY kommunen ./kommunen
COPY projekte ./projekte
COPY wissen ./wissen
COPY common ./common
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media
# pg_dump and pg_restore for `manage.py sicherung` and `wiederherstellen`: bookworm's client is
# PostgreSQL 15, the server's major version in compose.yaml (pg_dump refuses a newer server).
# OCR of scanned documents (decision 0014): Tesseract with its German data, pdftoppm (poppler)
# to render PDF pages. DejaVu Sans is embedded in the Freigabevermerke (PDF memos of decisions).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
        tesseract-ocr tesseract-ocr-deu poppler-utils fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /app /data/media && chown portal:portal /data/media
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY manage.py ./
COPY portal ./portal
COPY kommunen ./kommunen
COPY projekte ./projekte
COPY wissen ./wissen
COPY common ./common
COPY templates ./templates
COPY static ./static
COPY locale ./locale
# collectstatic needs settings that start: a throwaway key, never used at run time.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput -v0
USER portal
VOLUME ["/data/media"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "portal.healthcheck", "http://127.0.0.1:8000/healthz"]
# Worker: celery -A portal worker -l INFO; beat: celery -A portal beat -l INFO
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
