# Luxyhome backend image: gunicorn serving luxyhome.wsgi in production mode on port 8000. The same image
# runs the worker, beat and the sockets (uvicorn luxyhome.asgi on 8001): docker-compose.yml's services.

# --- builder: the dependencies in a virtualenv (psycopg[binary] brings its own libpq, no compiler)
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install -r /tmp/requirements.txt

# --- final: the virtualenv, the project, a non-root user
FROM python:3.11-slim

ENV DJANGO_ENV=production \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

RUN groupadd --system luxyhome \
 && useradd --system --gid luxyhome --home-dir /app --no-create-home --shell /usr/sbin/nologin luxyhome

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY . .

# Production settings refuse to start without these; the values below exist only on this line
# and are not kept in the image (collectstatic signs nothing with them).
RUN SECRET_KEY=build-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    CORS_ALLOWED_ORIGINS=http://localhost \
    JWT_SIGNING_KEY=build-only-jwt-signing-key-not-a-secret-0123456789abcdef0123456789abcdef \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media /tmp/prometheus \
 && chown luxyhome:luxyhome /app/media /tmp/prometheus

# gunicorn's workers share their metrics through this directory (emptied at every start)
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus

USER luxyhome

EXPOSE 8000 8001

# Sent to an allowed host name so the ALLOWED_HOSTS check does not answer instead of the app;
# /healthz is exempt from the HTTPS redirect.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request as u; h = next((h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')), 'localhost'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"

# workers, timeouts and logging: gunicorn.conf.py (WEB_CONCURRENCY sets the worker count)
CMD ["gunicorn", "luxyhome.wsgi:application", "-c", "gunicorn.conf.py"]
