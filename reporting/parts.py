"""A report cut into parts that are laid out on their own, and the pages' furniture.

The cover and contents, the summary, the chapters and the annexes are laid out as separate
documents, consecutive sections grouped so that each part is worth a process of its own and
none holds so many pages that its process outgrows its memory. Each part begins a page: where a
report laid out whole flows from one section to the next, a report in parts ends a page early at
each of its few part boundaries (at most 8 for 2,000 actions). The contents page is laid out
again once every part's pages are counted, with the page on which each section starts; the
running heads and page numbers (report.css's @page margin boxes) are laid out last, on empty
sheets, as `furniture`, and drawn over the parts' pages.
"""

import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reporting.layout import Part

PARTS = "reporting/parts/"
MARGIN_BOXES = [
    f"{edge}-{where}"
    for edge, places in {
        "top": ["left-corner", "left", "center", "right", "right-corner"],
        "bottom": ["left-corner", "left", "center", "right", "right-corner"],
        "left": ["top", "middle", "bottom"],
        "right": ["top", "middle", "bottom"],
    }.items()
    for where in places
]
# Margin boxes are furniture's: the parts leave them empty.
NO_MARGIN_BOXES = (
    "@page { "
    + " ".join(f"@{name} {{ content: none !important; }}" for name in MARGIN_BOXES)
    + " }"
)
# A contents line waits for its page number: as wide as any number the report may reach.
PLACEHOLDER = "0000"
# A rule of report.css that shows a link's target page: (selector, content before, after).
TARGET_COUNTER = re.compile(
    r"([^{}]+?)\s*\{[^{}]*?content:\s*([^;{}]*?)target-counter\(\s*attr\(href\)\s*,\s*page\s*\)"
    r"([^;{}]*)[;}]"
)
# What one action, summary line, overdue milestone… costs to lay out, roughly, in "lines".
ACTION_LINES = 10
MIN_PART_WEIGHT = 250
PARTS_PER_PROCESS = 2


@dataclass
class Section:
    template: str
    weight: int
    chapter: object = None


@dataclass
class PartPlan:
    """Sections laid out together; `cover` marks the part holding the cover and contents."""

    name: str
    sections: list = field(default_factory=list)
    cover: bool = False

    @property
    def weight(self):
        return sum(section.weight for section in self.sections)


def _with_href(selector, anchor):
    """`nav.toc a::after` → `nav.toc a[href="#summary"]::after`, for each selector of a list."""
    tested = []
    for one in selector.split(","):
        element, colons, pseudo = one.strip().partition("::")
        tested.append(f'{element}[href="#{anchor}"]{colons}{pseudo}')
    return ", ".join(tested)


def _section_name(section):
    """What a failed build calls the part, in the report's language."""
    if section.chapter is not None:
        return _("chapter %(number)s") % {"number": section.chapter.number}
    return {"summary.html": _("executive summary"), "annexes.html": _("annexes")}.get(
        section.template.removeprefix(PARTS), section.template
    )


class ReportDocument:
    """The parts of one report: `context` is what reporting/report.html renders."""

    def __init__(self, context, processes):
        self.context = context
        self.plans = self._plan_parts(processes)
        # A light report is laid out whole, in one process: a second round would cost more
        # than the cores could save.
        weight = sum(plan.weight for plan in self.plans)
        self.whole = weight <= settings.REPORT_PARTS_ABOVE_LINES or processes == 1

    def whole_html(self):
        """The report as one document, with its own contents page numbers and furniture."""
        return render_to_string("reporting/report.html", self.context)

    def _plan_parts(self, processes):
        content = self.context
        changes = content["changes"]
        summary = Section(
            PARTS + "summary.html",
            40 + len(content["summary"]["status_rows"]) + sum(len(v) for v in changes.values()),
        )
        chapters = [
            Section(PARTS + "chapter.html", len(c.actions) * ACTION_LINES, c)
            for c in content["chapters"]
        ]
        annexes = Section(
            PARTS + "annexes.html",
            20
            + len(content["overdue"])
            + len(content["institutions_annex"])
            + 3 * len(content["agreements_annex"])
            + ACTION_LINES * len(content.get("assessments") or ())
            + 5 * len(content.get("amendments_annex") or ()),
        )
        # Two parts per process at least, so that one long part does not leave a core idle,
        # but none so small that starting a document costs more than laying it out.
        sections = [summary, *chapters, annexes]
        total = sum(section.weight for section in sections)
        share = max(MIN_PART_WEIGHT, math.ceil(total / (PARTS_PER_PROCESS * max(1, processes))))
        groups = []
        for section in sections:
            if groups and groups[-1].weight + section.weight <= share:
                groups[-1].sections.append(section)
            else:
                groups.append(PartPlan("", [section]))
        for group in groups:
            group.name = ", ".join(_section_name(s) for s in group.sections)
        return [
            PartPlan("cover and contents", [Section(PARTS + "cover.html", 20)], cover=True),
            *groups,
        ]

    def _html(self, plan, style):
        return render_to_string(
            "reporting/part.html",
            self.context | {"sections": plan.sections, "part_style": style},
        )

    def parts(self):
        """Each part's HTML, heaviest first (as the processes should take them), each made as
        it is taken; the contents lines wait for their page numbers."""
        for plan in sorted(self.plans, key=lambda p: -p.weight):
            style = self.contents_style(None) if plan.cover else NO_MARGIN_BOXES
            yield Part(plan.name, self._html(plan, style), plan.weight)

    def contents_html(self, pages):
        """The cover and contents, with `pages` (anchor → page number) on the contents lines."""
        return self._html(self.plans[0], self.contents_style(pages))

    def contents_style(self, pages):
        """The contents lines' page numbers: each section's first page, or a placeholder as
        wide as a page number may be, put where report.css puts target-counter()."""
        style = NO_MARGIN_BOXES
        for selector, before, after in TARGET_COUNTER.findall(self._css()):
            if pages is None:
                style += f'\n{selector} {{ content: {before}"{PLACEHOLDER}"{after}; }}'
                continue
            for anchor, number in pages.items():
                if re.fullmatch(r"[\w-]+", anchor):
                    style += (
                        f"\n{_with_href(selector, anchor)} "
                        f'{{ content: {before}"{number}"{after}; }}'
                    )
        return style

    def _css(self):
        if not hasattr(self, "_rendered_css"):
            self._rendered_css = render_to_string("reporting/report.css", self.context)
        return self._rendered_css

    def furniture(self, *, pages, first, total, cover):
        """The HTML of `pages` empty sheets numbered from `first` of `total`, whose @page
        margin boxes are drawn over a part's pages; with `cover` the first is the cover's."""
        style = re.sub(r"counter\(\s*pages\s*\)", f'"{total}"', self._css())
        return render_to_string(
            "reporting/furniture.html",
            self.context
            | {
                "style": style,
                "part_style": f"@page :first {{ counter-reset: page {first}; }}",
                "sheets": [{"cover": cover and index == 0} for index in range(pages)],
            },
        )
