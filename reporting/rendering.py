"""Turn a report's content into a PDF with WeasyPrint, in the report's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from reporting.content import build_content
from reporting.models import Report
from reporting.periods import Period

# Documents that other parts of the portal build through the report pipeline (a meeting's
# agenda and minutes): {kind: a function of the report giving (html, as_of)}.
DOCUMENTS = {}


def register_document(kind, html_of):
    """Let the report pipeline build reports of `kind` with `html_of(report)` → (html, as_of);
    it is called in the report's language."""
    DOCUMENTS[kind] = html_of


def render_document(report):
    """Return (pdf_bytes, pages, as_of) for a Report of a registered document kind."""
    with translation.override(report.language):
        html, as_of = DOCUMENTS[report.kind](report)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages), as_of


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
