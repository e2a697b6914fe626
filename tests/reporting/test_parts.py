"""A report laid out in parts by the layout processes and joined: read back, it is one document
whose pages are numbered on from part to part and whose contents page tells where each section
starts; a part that fails fails the build with a plain message."""

import io
import os
import re

import pytest
from pypdf import PdfReader

from reporting import services
from reporting.models import Report
from reporting.parts import ReportDocument
from reporting.rendering import render_pdf

pytestmark = pytest.mark.django_db

ANNUAL_2024 = {"kind": "annual", "year": 2024, "language": "en"}
# A contents line: its title, a leader of dots, the page number.
LEADER_AND_PAGE = r"((?:\d\. )?[A-Z][^.]*?)\s*(?:\. ?){3,}\s*(\d+)"


def page_texts(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [re.sub(r"\s+", " ", page.extract_text()).strip() for page in reader.pages]


@pytest.fixture(scope="module")
def in_parts(loaded_plan, django_db_blocker):
    """The 2024 annual review laid out in as many parts as it has sections, and laid out whole."""
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr("django.conf.settings.REPORT_PARTS_ABOVE_LINES", 0)
        patch.setattr("reporting.parts.MIN_PART_WEIGHT", 1)
        patch.setattr("reporting.parts.PARTS_PER_PROCESS", 10**6)
        figures = {}
        pdf, pages, _as_of = render_pdf(plan=loaded_plan, **ANNUAL_2024, figures=figures)
        patch.setattr("django.conf.settings.REPORT_PARTS_ABOVE_LINES", 10**9)
        whole, _pages, _as_of = render_pdf(plan=loaded_plan, **ANNUAL_2024)
    return pdf, pages, figures["parts"], whole


def test_the_report_is_laid_out_in_a_part_per_section(in_parts):
    parts = in_parts[2]
    assert list(parts)[:2] == ["cover and contents", "executive summary"]
    assert [name for name in parts if name.startswith("chapter")] == [
        f"chapter {n}" for n in range(3, 9)
    ]
    assert list(parts)[-1] == "annexes"
    assert sum(part["pages"] for part in parts.values()) == in_parts[1]


def test_the_pages_are_numbered_on_from_one_part_to_the_next(in_parts):
    pdf, pages = in_parts[0], in_parts[1]
    reader, texts = page_texts(pdf)
    assert len(reader.pages) == pages
    assert not re.search(r"\b1 / \d+", texts[0])  # the cover has no page number
    for number, text in enumerate(texts[1:], start=2):
        assert f"{number} / {pages}" in text, number


def test_every_page_but_the_cover_has_the_running_head(in_parts):
    _reader, texts = page_texts(in_parts[0])
    for text in texts[1:]:
        assert re.search(r"Annual review 2024 \d+ / \d+$", text)


def contents(texts):
    """The contents page's lines, as {title: page number}."""
    lines = re.findall(LEADER_AND_PAGE, texts[1].split("Contents ")[1])
    return {title.strip(): int(page) for title, page in lines}


def test_the_contents_page_gives_the_page_on_which_each_chapter_starts(in_parts, plan):
    _reader, texts = page_texts(in_parts[0])
    lines = contents(texts)
    chapters = plan.chapters.filter(number__gte=3).order_by("number")
    # The summary, the chapters, the overdue milestones and annexes A, B and of amendments.
    assert len(lines) == chapters.count() + 5
    for chapter in chapters:
        heading = f"{chapter.number}. {chapter.title}"
        assert texts[lines[heading] - 1].startswith(heading), heading
    for heading in ("Executive summary", "Overdue milestones"):
        assert texts[lines[heading] - 1].startswith(heading), heading
    annex_b = lines["Annex B: Agreements"]  # it follows Annex A on, within the annexes' part
    assert "Annex B: Agreements" in texts[annex_b - 1]
    assert "Annex B: Agreements" not in " ".join(texts[2 : annex_b - 1])
    amendments = lines["Annex C: Amendments in the period"]
    assert amendments >= annex_b
    assert "Annex C: Amendments in the period" in texts[amendments - 1]


def test_the_contents_lines_link_to_the_pages_they_name(in_parts):
    reader, texts = page_texts(in_parts[0])
    targets = {
        reader.get_page_number(annotation.get_object()["/Dest"][0].get_object()) + 1
        for annotation in reader.pages[1]["/Annots"]
    }
    assert targets == set(contents(texts).values())


def action_sequence(pdf):
    """The action numbers as the report's blocks give them ("6.3 Title…"), in order."""
    _reader, texts = page_texts(pdf)
    return re.findall(r"(?<![\d.])(\d\.\d+) (?=[A-Z])", " ".join(texts))


def test_the_parts_joined_hold_every_action_of_the_report_laid_out_whole_in_its_order(in_parts):
    whole = action_sequence(in_parts[3])
    assert len(whole) >= 35
    assert action_sequence(in_parts[0]) == whole


def test_the_joined_report_keeps_its_title_authors_language_and_outline(in_parts):
    reader = PdfReader(io.BytesIO(in_parts[0]))
    assert reader.metadata.title == "Annual review 2024"
    assert "Kingdom of Denmark" in reader.metadata.author
    assert "United Mexican States" in reader.metadata.author
    assert reader.root_object["/Lang"] == "en"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Executive summary" in titles and "Annex B: Agreements" in titles


class CrashesTheLayoutProcess:
    """Unpickled by a layout process, it ends that process, as the OOM killer would."""

    def __reduce__(self):
        return os._exit, (70,)


def test_a_part_that_fails_fails_the_build_with_a_plain_message(plan, settings, monkeypatch):
    settings.REPORT_PARTS_ABOVE_LINES = 0
    real_parts = ReportDocument.parts

    def chapter_6_crashes(document):
        for part in real_parts(document):
            if "chapter 6" in part.name:
                part.html = CrashesTheLayoutProcess()
            yield part

    monkeypatch.setattr(ReportDocument, "parts", chapter_6_crashes)
    report = Report.objects.create(plan=plan, **ANNUAL_2024, as_of="2024-12-31")

    with pytest.raises(services.PartFailed):
        services.build(report.pk)

    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert "chapter 6" in report.error and "failed" in report.error
    assert not report.file

    monkeypatch.undo()
    settings.REPORT_PARTS_ABOVE_LINES = 0
    services.retry(report, user=None)  # the layout processes were replaced: it builds
    report.refresh_from_db()
    assert report.state == Report.State.READY
