"""The report annex "Amendments in the period": the amendments that came into force between the
start of the report's period and its as-of date, touching the report's actions.

An amendment in force is never changed again, so the live rows say the same as of any later
date; what it replaced is on the amendment itself (`previous`).
"""

from dataclasses import dataclass
from datetime import date

from amendments import selectors
from amendments.describing import proposed_change


@dataclass
class AmendmentLine:
    number: int
    in_force_on: date
    action: str
    kind: str
    change: str
    reason: str


def amendments_annex(*, plan, start, moment, action_ids):
    return [
        AmendmentLine(
            number=amendment.number,
            in_force_on=amendment.decided_at.date(),
            action=amendment.action.number if amendment.action_id else "—",
            kind=amendment.get_kind_display(),
            change=proposed_change(amendment),
            reason=amendment.reason,
        )
        for amendment in selectors.in_force_between(
            plan=plan, start=start, moment=moment, action_ids=action_ids
        )
    ]
