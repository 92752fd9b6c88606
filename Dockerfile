# CRM IA — one image: the web app, its REST API and the `crm` command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CRM_HOST=0.0.0.0 \
    CRM_PORT=8080 \
    CRM_DATA_DIR=/data \
    CRM_DATABASE_URL=sqlite:////data/crm.db

RUN groupadd --system crm && useradd --system --gid crm --home-dir /app --shell /usr/sbin/nologin crm

WORKDIR /app
COPY pyproject.toml README.md ./
COPY main.py cli.py settings.py ./
COPY ui ./ui
COPY pages ./pages
COPY components ./components
COPY db ./db
COPY services ./services
COPY api ./api
COPY bench ./bench
RUN pip install . && mkdir -p /data && chown -R crm:crm /data && chmod 700 /data

USER crm
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"CRM_PORT\", \"8080\")}/healthz', timeout=4)" || exit 1

# `crm serve` migrates the database (Alembic), creates the first workspace if there is none, then serves.
CMD ["crm", "serve"]
