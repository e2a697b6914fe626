FROM python:3.11-slim-bookworm

# WeasyPrint renders the PDF reports with Pango; fonts for Danish and Spanish text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY plancore plancore
COPY partners partners
COPY actions actions
COPY reporting reporting
RUN pip install --no-cache-dir .
COPY . .
RUN python manage.py compilemessages --ignore ".venv/*" --verbosity 0 \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "plancore.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
