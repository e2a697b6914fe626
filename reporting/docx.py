"""The report as an editable Word document (DOCX), from the same content as the PDF, for the
ministers' offices that paste parts of it into a brief.

It holds the same words and numbers as the PDF: the cover's facts, the summary's paragraphs and
tables, every chapter's actions with their milestones and latest approved update, the overdue
milestones and the annexes. Charts are left out (their numbers are in the tables). It keeps Word's
own styles, so pasted text takes the brief's. Like the PDF, it is kept twice: marked as a draft
in its page header and cover until both sides have released the report, and clean.
"""

import io

from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from plancore.formats import percent

DRAFT_MARK = "DRAFT / BORRADOR"
DRAFT_RED = RGBColor(0xA4, 0x16, 0x1A)
WORD_LANGUAGES = {"en": "en-GB", "es": "es-MX"}
STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet")


class Writer:
    """Appends paragraphs to a document's body in constant time each: python-docx's own
    add_paragraph looks the style up by name and scans the whole body for the place to insert,
    which made a 2,000-action report take minutes."""

    def __init__(self, document):
        self.document = document
        self.body = document._body
        self.end = document.element.body.sectPr
        self.style_ids = {name: document.styles[name].style_id for name in STYLES}

    def paragraph(self, text="", style=None):
        element = OxmlElement("w:p")
        if style:
            properties = OxmlElement("w:pPr")
            style_element = OxmlElement("w:pStyle")
            style_element.set(qn("w:val"), self.style_ids[style])
            properties.append(style_element)
            element.append(properties)
        if text:
            run, words = OxmlElement("w:r"), OxmlElement("w:t")
            words.set(qn("xml:space"), "preserve")
            words.text = " ".join(str(text).split("\n"))
            run.append(words)
            element.append(run)
        self.end.addprevious(element)
        return Paragraph(element, self.body)

    def heading(self, text, level):
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def bullet(self, text):
        return self.paragraph(text, "List Bullet")

    def page_break(self):
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, header, rows, numeric=()):
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = self.document.styles["Table Grid"]
        for index, text in enumerate(header):
            table.rows[0].cells[index].paragraphs[0].add_run(str(text)).bold = True
        for row in rows:
            cells = table.add_row().cells
            for index, value in enumerate(row):
                cells[index].text = str(value)
                if index in numeric:
                    cells[index].paragraphs[0].alignment = 2  # right
        self.paragraph()
        return table


def docx_versions(content):
    """(clean, draft) DOCX bytes of the report."""
    with translation.override(content["language"]):
        document, state = _document(content)
        state.text = _("Released by both governments")
        clean = _saved(document)
        state.text = _("Draft: not yet released by both governments")
        state.font.color.rgb = DRAFT_RED
        for section in document.sections:
            header = section.header.paragraphs[0]
            run = header.add_run(DRAFT_MARK)
            run.bold = True
            run.font.color.rgb = DRAFT_RED
        draft = _saved(document)
    return clean, draft


def _saved(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _document(content):
    document = Document()
    _set_language(document, WORD_LANGUAGES.get(content["language"], "en-GB"))
    document.core_properties.title = content["title"]
    document.core_properties.author = "; ".join(c.government_name for c in content["parties"])
    document.core_properties.language = WORD_LANGUAGES.get(content["language"], "en-GB")
    writer = Writer(document)
    state = _cover(writer, content)
    _summary(writer, content)
    for chapter in content["chapters"]:
        _chapter(writer, chapter)
    _annexes(writer, content)
    return document, state


def _set_language(document, tag):
    properties = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), tag)
    properties.append(language)


def _date(value, style="DATE_FORMAT"):
    return date_filter(value, style) if value else ""


def _cover(writer, content):
    for country in content["parties"]:
        run = writer.paragraph().add_run(str(country.government_name).upper())
        run.bold = True
    writer.paragraph(str(content["plan"].title))
    writer.heading(content["title"], level=0)
    period = content["period"]
    facts = [
        (
            _("Period"),
            f"{period.label} ({_date(period.start)} – {_date(period.end)})",
        ),
        (_("As of"), _date(content["as_of"])),
    ]
    if content["chapter"]:
        facts.append((_("Chapter"), f"{content['chapter'].number}. {content['chapter'].title}"))
    if content["institution"]:
        facts.append((_("Institution"), content["institution"].name))
    plan = content["plan"]
    facts.append((_("Signed"), f"{plan.signed_at}, {_date(plan.signed_on)}"))
    for label, value in facts:
        paragraph = writer.paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(str(value))
    state = writer.paragraph().add_run("")
    state.bold = True
    state.font.size = Pt(12)
    if content["unofficial_translation"]:
        writer.paragraph(
            _("Unofficial translation; the English text signed on 9 August 2023 is authoritative")
        )
    return state


def _summary(writer, content):
    summary, changes = content["summary"], content["changes"]
    writer.page_break()
    writer.heading(_("Executive summary"), level=1)
    for paragraph in summary["paragraphs"]:
        writer.paragraph(paragraph)
    writer.heading(_("Actions by status"), level=3)
    writer.table(
        [_("Status"), _("Actions")],
        [(label, count) for _status, label, count in summary["status_rows"]],
        numeric=(1,),
    )
    writer.heading(_("Milestones in the period"), level=3)
    writer.table(
        [_("Side"), _("Done"), _("Missed")],
        [(side["label"], side["done"], side["missed"]) for side in summary["facts"]["sides"]],
        numeric=(1, 2),
    )
    writer.heading(_("What changed in this period"), level=2)
    moves = changes["status_moves"]
    writer.paragraph(
        ngettext(
            "%(counter)s action changed status since the previous period.",
            "%(counter)s actions changed status since the previous period.",
            len(moves),
        )
        % {"counter": len(moves)}
    )
    for number, title, before, after in moves:
        writer.bullet(f"{number} {title}: {before} → {after}")
    done = changes["milestones_completed"]
    writer.paragraph(
        ngettext(
            "%(counter)s milestone was completed in the period.",
            "%(counter)s milestones were completed in the period.",
            len(done),
        )
        % {"counter": len(done)}
    )
    for number, title, done_on in done:
        writer.bullet(f"{number}: {title} ({_date(done_on, 'SHORT_DATE_FORMAT')})")


def _chapter(writer, chapter):
    writer.heading(f"{chapter.number}. {chapter.title}", level=1)
    writer.paragraph(
        ngettext(
            "%(counter)s action, mean progress %(progress)s.",
            "%(counter)s actions, mean progress %(progress)s.",
            len(chapter.actions),
        )
        % {"counter": len(chapter.actions), "progress": percent(chapter.progress)}
    )
    for action in chapter.actions:
        writer.heading(f"{action.number} {action.title}", level=2)
        meta = [
            action.status_label,
            percent(action.progress),
            f"{_('Danish lead')}: {action.leads['DK']}",
            f"{_('Mexican lead')}: {action.leads['MX']}",
        ]
        if action.partners:
            meta.append(f"{_('Partners')}: {', '.join(action.partners)}")
        writer.paragraph(" · ".join(str(part) for part in meta))
        for milestone in action.milestones:
            writer.bullet(_milestone_line(milestone))
        if action.narrative:
            paragraph = writer.paragraph()
            paragraph.add_run(
                _("Latest jointly approved update (%(date)s):")
                % {"date": _date(action.narrative_date, "SHORT_DATE_FORMAT")}
            ).bold = True
            paragraph.add_run(f" {action.narrative}")
        else:
            writer.paragraph(_("No jointly approved progress update yet."))


def _milestone_line(milestone):
    line = f"{milestone.title} — {_('due')} {_date(milestone.due_date, 'SHORT_DATE_FORMAT')}"
    if milestone.done_on:
        return f"{line}, {_('done')} {_date(milestone.done_on, 'SHORT_DATE_FORMAT')}"
    if milestone.overdue_days:
        return f"{line}, " + _overdue(milestone.overdue_days)
    return line


def _overdue(days):
    return ngettext("overdue by %(days)s day", "overdue by %(days)s days", days) % {"days": days}


def _annexes(writer, content):
    if content.get("assessments"):
        _assessments(writer, content["assessments"])
    writer.heading(_("Overdue milestones"), level=1)
    if not content["overdue"]:
        writer.paragraph(_("No milestone was overdue on the as-of date."))
    for action, milestone in content["overdue"]:
        writer.bullet(
            f"{action.number} {milestone.title} — {_('due')} "
            f"{_date(milestone.due_date, 'SHORT_DATE_FORMAT')}, {_overdue(milestone.overdue_days)} "
            f"({milestone.responsible})",
        )
    writer.heading(_("Annex A: Institutions"), level=1)
    for group in content["institutions_annex"]:
        writer.heading(group["heading"], level=3)
        writer.table(
            [_("Institution"), _("Kind"), _("Leads"), _("Partner in")],
            [
                (
                    f"{i.name} ({i.acronym})" if i.acronym else i.name,
                    i.kind_label,
                    i.leads,
                    i.partners,
                )
                for i in group["rows"]
            ],
            numeric=(2, 3),
        )
    writer.heading(_("Annex B: Agreements"), level=1)
    if not content["agreements_annex"]:
        writer.paragraph(_("No agreement concerns these actions."))
    for agreement, numbers in content["agreements_annex"]:
        writer.heading(str(agreement.title), level=3)
        parts = [str(agreement.get_kind_display())]
        if agreement.signed_on:
            parts.append(f"{_('signed')} {agreement.signed_display}")
        parts.extend(f"{_('extended')} {e.extended_display}" for e in agreement.extensions.all())
        parts.append(f"{_('Actions')}: {', '.join(numbers)}")
        writer.paragraph(" · ".join(parts))
    _amendments(writer, content["amendments_annex"])


def _assessments(writer, lines):
    """Each side's assessment of the year beside the reported status, the disagreements first."""
    writer.heading(_("Each side's assessment"), level=1)

    def given(assessment, missing):
        if assessment is None:
            return missing
        text = f"{assessment.completion}, {assessment.timeliness}"
        return f"{text} — {assessment.comment}" if assessment.comment else text

    for line in lines:
        title = f"{line.number} {line.title}"
        writer.heading(f"{title} — {_('the sides differ')}" if line.differs else title, level=3)
        writer.bullet(f"{_('Reported status')}: {line.status_label}")
        writer.bullet(f"{_('Denmark')}: {given(line.dk, _('not assessed'))}")
        writer.bullet(f"{_('Mexico')}: {given(line.mx, _('not assessed'))}")
        joint = given(line.joint, _("not agreed"))
        if line.joint and not line.joint.agreed:
            joint = f"{joint} ({_('proposed, not yet agreed by both sides')})"
        writer.bullet(f"{_('Joint')}: {joint}")


def _amendments(writer, lines):
    writer.heading(_("Annex C: Amendments in the period"), level=1)
    if not lines:
        writer.paragraph(_("No amendment came into force in the period."))
    for line in lines:
        writer.heading(
            _("Amendment %(number)s, in force since %(date)s")
            % {"number": line.number, "date": _date(line.in_force_on)},
            level=3,
        )
        writer.paragraph(f"{_('Action')} {line.action} · {line.kind}")
        writer.paragraph(line.change)
        writer.paragraph(f"{_('Reason:')} {line.reason}")
