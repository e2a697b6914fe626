"""The executive summary of a report: its facts, read from the report's content, and the prose
that states them, written by a template in the report's language
(templates/reporting/prose/summary.<language>.txt), whose paragraphs are separated by a line "¶".
The PDF and the DOCX print the same paragraphs and tables."""

import re
from collections import Counter, defaultdict

from django.template.loader import render_to_string
from django.utils.text import Truncator

from actions.models import Status, number_key
from partners.models import Side
from plancore.languages import content_language

NARRATIVE_WORDS = 45
LISTED_DELAYS = 5


def summary_facts(*, blocks, before, period, as_of, chapter_count):
    """The numbers the prose and the tables beside it give. `blocks`: ActionBlocks as of the
    as-of date; `before`: {action id: (status, progress)} at the end of the previous period."""
    moved = status_changed = progressed = completed = 0
    for block in blocks:
        earlier = before.get(block.id)
        if earlier is None:
            continue
        changed = earlier[0] != block.status
        advanced = block.progress > earlier[1]
        moved += changed or advanced
        status_changed += changed
        progressed += advanced
        completed += changed and block.status == Status.COMPLETED
    new_actions = sum(1 for block in blocks if block.id not in before)
    mean_now = _mean(block.progress for block in blocks)
    mean_before = _mean(progress for _status, progress in before.values())
    delayed = sorted(
        (block for block in blocks if block.status == Status.DELAYED),
        key=lambda block: number_key(block.number),
    )
    at_risk = sum(1 for block in blocks if block.status == Status.AT_RISK)
    return {
        "actions": len(blocks),
        "chapters": chapter_count,
        "period": period,
        "as_of": as_of,
        "moved": moved,
        "status_changed": status_changed,
        "progressed": progressed,
        "completed": completed,
        "new_actions": new_actions,
        "mean_progress": mean_now,
        "mean_change": None if mean_before is None or mean_now is None else mean_now - mean_before,
        "delayed": [
            {
                "number": block.number,
                "title": block.title,
                "narrative": Truncator(block.narrative).words(NARRATIVE_WORDS)
                if block.narrative
                else "",
                "narrative_date": block.narrative_date,
            }
            for block in delayed[:LISTED_DELAYS]
        ],
        "delayed_count": len(delayed),
        "delayed_unlisted": max(len(delayed) - LISTED_DELAYS, 0),
        "at_risk": at_risk,
        **_milestone_facts(blocks, period, as_of),
    }


def _mean(values):
    values = list(values)
    return round(sum(values) / len(values)) if values else None


def _milestone_facts(blocks, period, as_of):
    """Milestones done in the period and missed in it (due in it, not done by the as-of date),
    in all and by the side of the institution responsible for each."""
    done = Counter()
    missed = Counter()
    by_institution = defaultdict(Counter)
    overdue = 0
    for block in blocks:
        for milestone in block.milestones:
            side = milestone.responsible_side or Side.MULTILATERAL
            if milestone.done_on and period.start <= milestone.done_on <= as_of:
                done[side] += 1
                by_institution[side][milestone.responsible] += 1
            elif not milestone.done_on and period.start <= milestone.due_date < as_of:
                missed[side] += 1
            overdue += bool(milestone.overdue_days)
    sides = [Side.DK, Side.MX, Side.MULTILATERAL]
    rows = [
        {
            "side": side,
            "label": Side(side).label,
            "done": done[side],
            "missed": missed[side],
            "leaders": [
                {"name": name, "done": count}
                for name, count in sorted(by_institution[side].items(), key=lambda i: (-i[1], i[0]))
                if name != "—"
            ][:3],
        }
        for side in sides
    ]
    return {
        "milestones_done": sum(done.values()),
        "milestones_missed": sum(missed.values()),
        "milestones_overdue": overdue,
        "sides": rows,
    }


def summary_paragraphs(facts):
    """The summary as paragraphs of plain text, in the active language (English when the
    language has no template of its own)."""
    language = content_language()
    text = render_to_string(f"reporting/prose/summary.{language}.txt", facts)
    paragraphs = (re.sub(r"\s+", " ", block).strip() for block in text.split("¶"))
    return [paragraph for paragraph in paragraphs if paragraph]
