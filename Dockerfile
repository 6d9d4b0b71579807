# SpeakRoom image: the same steps as `make run` (install, migrate, start), as a non-root user.
# Everything written at run time goes to the /data volume (database, secret key, NiceGUI's session store
# NICEGUI_STORAGE_PATH): /app belongs to root and is not writable for that user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    DATABASE_URL=sqlite:////data/speakroom.db \
    NICEGUI_STORAGE_PATH=/data/nicegui

# espeak-ng: the offline text-to-speech engine for every language.
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 speakroom \
    && mkdir -p /data && chown speakroom /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY main.py manage.py alembic.ini ./
COPY api api
COPY assets assets
COPY db db
COPY migrations migrations
COPY pages pages
COPY services services
COPY ui ui
RUN pip install .

USER speakroom
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
CMD ["sh", "-c", "python manage.py migrate && exec python main.py"]
