# The production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal

WORKDIR /app
# Dependencies first, from the hashed lock file without the embedded servers: this layer is
# rebuilt only when the lock changes.
COPY requirements/prod.txt requirements/prod.txt
RUN pip install --require-hashes -r requirements/prod.txt

COPY . .
RUN python -m core.transliteration catalogues . \
    && for po in $(find locale locale_libraries -name '*.po'); do msgfmt --check -o "${po%.po}.mo" "$po"; done \
    && DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
       MFA_ENCRYPTION_KEY=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMDEyMzQ1Njc= \
       CELERY_BROKER_URL=memory:// SITE_URL=https://build.invalid EMAIL_URL=dummymail:// \
       DEFAULT_FROM_EMAIL=build@build.invalid python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/private && chown -R portal:portal /app/var \
    && chmod 700 /app/var/private

USER portal
EXPOSE 8000
# gunicorn.conf.py (loaded from /app) sets the bind address, workers and the redacting
# access log.
CMD ["gunicorn", "diaspora_portal.wsgi"]
