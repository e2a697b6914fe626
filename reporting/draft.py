"""The draft mark and the cover's statement of the report's state, laid over a rendered PDF.

A build draws the report's pages once and keeps two files of them: the draft, with DRAFT /
BORRADOR at the head of every page and the cover saying it awaits release, which readers get
until both sides have released the report; and the clean file, whose cover says it is released
by both governments, which they get from then on. Releasing therefore needs no new build. The
marks are drawn by WeasyPrint from templates/reporting/stamps.html on pages of the report's size
and margins, and each is laid on the report's pages as one shared form XObject (a few bytes per
page, a fraction of a second for hundreds of pages).
"""

import io
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import HTML

COVER_RELEASED, COVER_DRAFT, PAGE_DRAFT = 0, 1, 2


@lru_cache(maxsize=4)
def stamp_pages(*, language):
    """The three marks (cover when released, cover of a draft, every other page of a draft) as
    one three-page PDF drawn in the report's language; drawn once per language by a worker."""
    with translation.override(language):
        html = render_to_string("reporting/stamps.html", {"language": language})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def mark_versions(pdf, *, language):
    """(clean, draft): the report's PDF with the released cover statement, and with the draft
    cover statement and the draft mark on every page."""
    stamps = PdfReader(io.BytesIO(stamp_pages(language=language))).pages
    clean = _overlay(pdf, cover=stamps[COVER_RELEASED], others=None)
    draft = _overlay(pdf, cover=stamps[COVER_DRAFT], others=stamps[PAGE_DRAFT])
    return clean, draft


def mark_draft(pdf, *, language):
    """A document's PDF (a meeting's agenda or minutes) with the draft mark on every page: its
    first page is not a report's cover, so it carries no cover statement."""
    page = PdfReader(io.BytesIO(stamp_pages(language=language))).pages[PAGE_DRAFT]
    return _overlay(pdf, cover=page, others=page)


def _overlay(pdf, *, cover, others):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    cover_mark = _form(writer, cover, "/ReportCoverMark")
    other_mark = _form(writer, others, "/ReportPageMark") if others is not None else None
    save_state = writer._add_object(_stream(b"q\n"))
    for index, page in enumerate(writer.pages):
        mark = cover_mark if index == 0 else other_mark
        if mark is not None:
            _draw_over(writer, page, mark, save_state)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stream(data):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _form(writer, page, name):
    """The stamp page as a form XObject added once to the writer."""
    form = _stream(page.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): page.mediabox,
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    reference = writer._add_object(form)
    draw = writer._add_object(_stream(f"\nQ q {name} Do Q\n".encode()))
    return name, reference, draw


def _draw_over(writer, page, mark, save_state):
    """The page's own drawing wrapped in q … Q, then the mark drawn over it."""
    name, form, draw = mark
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    page[NameObject("/Resources")] = resources
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
    else:
        xobjects = xobjects.get_object()
    xobjects[NameObject(name)] = form
    contents = page.raw_get("/Contents")
    own = contents.get_object()
    streams = list(own) if isinstance(own, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([save_state, *streams, draw])
