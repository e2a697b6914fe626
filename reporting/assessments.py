"""The annual review's section on assessments: per action, the status its institutions reported,
each side's assessment of the year and the joint one, the disagreements first.

A year is assessed once it is over, so these rows are read from the history tables as they stood
on the day the report is built (not at the end of the year, as the rest of the report is): the
review built in January shows the assessments given by then, and a rebuild on the same day says
the same.
"""

from dataclasses import dataclass

from actions.models import number_key
from assessments.models import Assessment, Completion, JointAssessment, Timeliness
from partners.models import Side
from plancore.history import snapshot
from plancore.languages import SIGNED_LANGUAGE
from reporting.periods import end_of_day


@dataclass
class GivenLine:
    """A side's (or the joint) assessment as the report shows it."""

    completion: str
    timeliness: str
    comment: str
    comment_lang: str = SIGNED_LANGUAGE
    agreed: bool = True


@dataclass
class AssessmentLine:
    number: str
    title: str
    title_lang: str
    status_label: str
    dk: GivenLine | None
    mx: GivenLine | None
    joint: GivenLine | None
    differs: bool


def _given(row, *, agreed=True):
    if row is None:
        return None
    return GivenLine(
        completion=str(Completion(row.completion).label),
        timeliness=str(Timeliness(row.timeliness).label),
        comment=row.comment,
        comment_lang=row.language,
        agreed=agreed,
    )


def assessment_review(*, blocks, period, built_on):
    """AssessmentLines for the report's actions (`blocks`, ActionBlocks by action id) for the
    whole year of `period`, disagreements first, then in plan order; None when no side has
    assessed any of them. Two queries."""
    moment = end_of_day(built_on)
    ids = list(blocks)
    wanted = {"action_id__in": ids, "year": period.year, "quarter__isnull": True}
    sides = {}
    for row in snapshot(Assessment, moment, **wanted):
        sides.setdefault(row.action_id, {})[row.side] = row
    if not sides:
        return None
    joints = {row.action_id: row for row in snapshot(JointAssessment, moment, **wanted)}
    lines = []
    for action_id, block in blocks.items():
        dk, mx = sides.get(action_id, {}).get(Side.DK), sides.get(action_id, {}).get(Side.MX)
        joint = joints.get(action_id)
        lines.append(
            AssessmentLine(
                number=block.number,
                title=block.title,
                title_lang=block.title_lang,
                status_label=block.status_label,
                dk=_given(dk),
                mx=_given(mx),
                joint=_given(joint, agreed=joint.agreed_at is not None) if joint else None,
                differs=bool(
                    dk and mx and (dk.completion, dk.timeliness) != (mx.completion, mx.timeliness)
                ),
            )
        )
    return sorted(lines, key=lambda line: (not line.differs, number_key(line.number)))
