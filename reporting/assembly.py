"""A report's PDF laid out by WeasyPrint in parts at once, on the machine's cores
(reporting.parts, reporting.layout), and joined with pypdf.

A light report is laid out whole, in one of the layout processes. A heavier one in three steps:
1. The parts are laid out, the heaviest first; the contents page waits for its page numbers.
2. Their pages counted, the contents page is laid out again with the page on which each section
   starts, and each part's running heads and page numbers are laid out and drawn over it.
3. The parts are joined: one outline, the links between parts, the first part's metadata.
"""

from itertools import accumulate

from django.conf import settings
from django.utils import translation

from reporting import pdf_join
from reporting.layout import Part, pool
from reporting.parts import ReportDocument

# The contents page is laid out again if its own length moved the sections: rarely, and at most
# this many times.
CONTENTS_ROUNDS = 3


def warm_up():
    """Start the layout processes now, so that they load WeasyPrint while the plan is read."""
    layout = pool()
    layout.warm_up(layout.size)


def assemble_pdf(context, figures=None):
    """(pdf_bytes, pages) of the report whose content is `context` (what reporting/report.html
    renders); `figures`, if given a dict, receives each part's pages, peak memory and time."""
    language = context["language"]
    layout = pool()
    base_url = str(settings.BASE_DIR)
    with translation.override(language):
        document = ReportDocument(context, layout.size)
        if document.whole:
            (whole,) = layout.lay_out([Part("report", document.whole_html())], base_url).values()
            if figures is not None:
                figures["parts"] = {"report": _figures(whole)}
            return whole.pdf, whole.pages
        names = [plan.name for plan in document.plans]
        laid_out = layout.lay_out(document.parts(), base_url)
        for _ in range(CONTENTS_ROUNDS):
            firsts, total = _first_pages([laid_out[name].pages for name in names])
            anchors = _anchors(laid_out, names, firsts)
            furnished = layout.lay_out(
                _furnished(document, laid_out, names, firsts, total, anchors), base_url
            )
            cover = furnished[names[0]]
            if cover.furnished:
                break
            laid_out[names[0]] = cover  # the contents page moved the sections: count again
        else:
            raise RuntimeError("the contents page did not settle")
    joined = pdf_join.Joined(anchors=anchors)
    for name, first in zip(names, firsts, strict=True):
        part = furnished[name] if name == names[0] else laid_out[name]
        joined.links += [(first + page, target, rect) for page, target, rect in part.links]
        joined.bookmarks += _shifted(part.bookmarks, first)
    pdf = pdf_join.join([furnished[name].pdf for name in names], joined, language=language)
    if figures is not None:
        figures["parts"] = {name: _figures(laid_out[name], furnished[name]) for name in names}
    return pdf, total


def _furnished(document, laid_out, names, firsts, total, anchors):
    """The second round: the cover and contents laid out again with the page on which each
    section starts (`anchors`), and every part's furniture drawn over it; the largest first."""
    contents = {name: page + 1 for name, (page, _x, _y) in anchors.items()}
    cover = laid_out[names[0]]
    yield Part(
        names[0],
        document.contents_html(contents),
        furniture=document.furniture(pages=cover.pages, first=1, total=total, cover=True),
    )
    rest = sorted(zip(names[1:], firsts[1:], strict=True), key=lambda n: -laid_out[n[0]].pages)
    for name, first in rest:
        part = laid_out[name]
        yield Part(
            name,
            under=part.pdf,
            weight=part.pages,
            furniture=document.furniture(
                pages=part.pages, first=first + 1, total=total, cover=False
            ),
        )


def _figures(laid_out, furnished=None):
    rounds = [laid_out, furnished] if furnished else [laid_out]
    return {
        "pages": laid_out.pages,
        "peak_kb": max(part.peak_kb for part in rounds),
        "cpu_seconds": [round(part.cpu_seconds, 3) for part in rounds],
    }


def _first_pages(counts):
    """Each part's first page index in the joined document, and the number of pages."""
    ends = list(accumulate(counts))
    return [end - count for end, count in zip(ends, counts, strict=True)], ends[-1]


def _anchors(laid_out, names, firsts):
    anchors = {}
    for name, first in zip(names, firsts, strict=True):
        for anchor, (page, x, y) in laid_out[name].anchors.items():
            anchors.setdefault(anchor, (first + page, x, y))
    return anchors


def _shifted(bookmarks, first):
    return [
        (label, (first + page, x, y), _shifted(children, first), state)
        for label, (page, x, y), children, state in bookmarks
    ]
