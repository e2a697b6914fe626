"""Turn a report's content into a PDF with WeasyPrint, in the report's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from reporting.content import build_content
from reporting.models import Report
from reporting.periods import Period


def render_pdf(
    *, plan, kind, year, quarter=None, chapter=None, institution=None, language="en", today=None
):
    """Return (pdf_bytes, pages, as_of) for the report these arguments describe."""
    period = Period(year, quarter)
    with translation.override(language):
        content = build_content(
            plan=plan,
            kind=kind,
            period=period,
            chapter=chapter,
            institution=institution,
            today=today,
        )
        title = f"{Report.Kind(kind).label} {period.label}"
        html = render_to_string(
            "reporting/report.html",
            content | {"title": title, "language": language, "generated_on": timezone.localdate()},
        )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages), content["as_of"]
