"""Turn a report's content into its files, in the report's language: the PDF laid out by
WeasyPrint in parts on the machine's cores (reporting/assembly.py), kept clean and marked as a
draft (reporting/draft.py), and the editable DOCX (reporting/docx.py), both from one reading of
the content."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from weasyprint import HTML

from reporting.assembly import assemble_pdf, warm_up
from reporting.content import build_content
from reporting.docx import docx_versions
from reporting.draft import mark_draft, mark_versions
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
    """Every file of one build of a registered document kind: its PDF, clean and marked as a
    draft on every page (documents have no DOCX)."""
    with translation.override(report.language):
        html, as_of = DOCUMENTS[report.kind](report)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    pdf = document.write_pdf()
    return ReportFiles(
        pdf=pdf,
        draft_pdf=mark_draft(pdf, language=report.language),
        docx=None,
        draft_docx=None,
        pages=len(document.pages),
        as_of=as_of,
    )


@dataclass
class ReportFiles:
    pdf: bytes
    draft_pdf: bytes
    docx: bytes | None
    draft_docx: bytes | None
    pages: int
    as_of: date


def report_content(
    *, plan, kind, year, quarter=None, chapter=None, institution=None, language="en", today=None
):
    """What the report says, with its title, read in its language."""
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
        content["title"] = f"{Report.Kind(kind).label} {period.label}"
    return content | {"language": language, "generated_on": timezone.localdate()}


def render_pdf(*, figures=None, **report):
    """Return (pdf_bytes, pages, as_of) for the report these arguments describe, unmarked."""
    warm_up()
    content = report_content(**report)
    pdf, pages = assemble_pdf(content, figures)
    return pdf, pages, content["as_of"]


def render_files(**report):
    """Every file of one build: the PDF and the DOCX, each clean and marked as a draft. The
    DOCX is written in a thread while the layout processes lay the PDF out: this process only
    waits for them meanwhile, and a light report leaves a core free."""
    warm_up()
    content = report_content(**report)
    with ThreadPoolExecutor(max_workers=1) as thread:
        docx_files = thread.submit(docx_versions, content)
        pdf, pages = assemble_pdf(content)
        clean, draft = mark_versions(pdf, language=content["language"])
        docx, draft_docx = docx_files.result()
    return ReportFiles(
        pdf=clean,
        draft_pdf=draft,
        docx=docx,
        draft_docx=draft_docx,
        pages=pages,
        as_of=content["as_of"],
    )
