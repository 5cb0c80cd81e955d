# ODOP Bazaar's image: the wheel (templates, static files, migrations and translations inside),
# installed into a virtual environment, run by gunicorn as an ordinary user.
#   docker build -t odop-bazaar .                       # the app, the worker, migrations
#   docker build --target nginx -t odop-bazaar-nginx .  # nginx with the static files
# compose.yaml builds both and runs the whole stack; README.md, "Production", says how.

# 1. The wheel, built from the checkout exactly as `pip wheel .` builds it anywhere.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /dist . \
 && python -m venv /opt/odop \
 && /opt/odop/bin/pip install --no-cache-dir /dist/*.whl

# 2. The app: the virtual environment and gunicorn's settings, nothing of the checkout.
FROM python:3.11-slim AS app
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin odop \
 && mkdir -p /app/instance && chown odop:odop /app/instance
COPY --from=build /opt/odop /opt/odop
# gunicorn.conf.py: access log, timeouts, worker recycling, all set from the environment.
COPY gunicorn.conf.py /app/gunicorn.conf.py
ARG ODOP_CODE_VERSION=""
ENV PATH=/opt/odop/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ODOP_CONFIG=production \
    ODOP_INSTANCE_PATH=/app/instance \
    ODOP_CODE_VERSION=${ODOP_CODE_VERSION} \
    FLASK_APP=odop_bazaar.wsgi \
    GUNICORN_BIND=0.0.0.0:8000
WORKDIR /app
USER odop
EXPOSE 8000
# /healthz asks nothing but the process, and answers when addressed by IP.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# The worker runs the same image: `flask worker` (compose.yaml's worker service).
CMD ["gunicorn", "-c", "/app/gunicorn.conf.py", "odop_bazaar.wsgi:app"]

# 3. nginx in front: deploy/odop-bazaar.conf, filled in from ODOP_* at start by the image's own
#    envsubst step (only ODOP_ names, so nginx's $host and the like are left alone), and the
#    static files it serves itself.
FROM nginx:1.27 AS nginx
ENV NGINX_ENVSUBST_FILTER=^ODOP_ \
    ODOP_LISTEN=80 \
    ODOP_UPSTREAM_SERVERS="server app:8000;" \
    ODOP_STATIC_ROOT=/srv/odop-bazaar/static \
    ODOP_CACHE_DIR=/var/cache/nginx/odop
RUN rm -f /etc/nginx/conf.d/default.conf \
 && mkdir -p /var/cache/nginx/odop && chown nginx /var/cache/nginx/odop
COPY deploy/odop-bazaar.conf /etc/nginx/templates/odop-bazaar.conf.template
COPY static/ /srv/odop-bazaar/static/
