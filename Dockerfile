FROM python:3.11-slim-bookworm

# WeasyPrint renders the PDF reports with Pango and subsets their fonts with HarfBuzz; the reports
# are set in Noto Sans and Noto Serif (fonts-noto-core), embedded in each PDF; gettext compiles the
# Spanish and Danish catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

# The code lives in /app only (it is not installed as a package): PYTHONPATH lets gunicorn,
# manage.py and `celery -A plancore` import it whatever their working directory.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONPATH=/app
WORKDIR /app

# The locked dependencies first, every file checked against its hash; this layer is rebuilt only
# when the lock changes.
COPY requirements/main.txt requirements/main.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/main.txt

COPY . .
RUN python manage.py compilemessages --ignore ".venv/*" --verbosity 0 \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# /srv/static: the named volume into which the migrate service copies /app/staticfiles for nginx.
RUN useradd --create-home portal \
    && mkdir -p /app/media /srv/static \
    && chown portal /app/media /srv/static
USER portal
EXPOSE 8000
CMD ["gunicorn", "plancore.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
