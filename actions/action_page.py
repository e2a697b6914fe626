"""What an action's page shows the same way to every reader, kept with the plan figures
(actions/figures.py) so that a reading costs one round trip to the cache; what depends on the
reader (their rights, the reviews they may take, the amendments they may see) the view asks on
each request.

The parts that hold nothing of the reader are kept drawn by their includes
(templates/actions/includes/), in the language of the key: the action's heading, status, text,
dates, goals and agreements, its responsible institutions, what each update reports with its
evidence and each side's decision, and the history; the milestones table twice, as those who
manage milestones see it (with the links to change them) and as everyone else does.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from actions import figures, selectors
from actions.decisions import Deciders, with_side_states
from actions.models import Action


@dataclass
class ActionPage:
    action: Action
    milestones: list
    updates: list  # each with its side_states, and drawn: report_html and record_html
    timeline: list  # [selectors.Event], newest first
    deciders: Deciders  # who may decide on updates, for the reviews the reader may take
    heading_html: str
    status_html: str
    plan_text_html: str
    facts_html: str
    responsibilities_html: str
    milestones_html: dict  # {may the reader manage milestones: the table as they see it}
    history_html: str


# A new number whenever ActionPage or what it holds changes: the cache unpickles a kept page
# before comparing its version, so a page kept by the previous release must not be read.
SHAPE = 1


def kept(pk):
    """The ActionPage of action `pk` until the figures are dropped; raises Action.DoesNotExist."""
    return figures.cached(
        f"action-page-{SHAPE}-{pk}", None, timezone.localdate(), lambda: build(pk)
    )


def build(pk):
    action = selectors.action_for_detail(pk)
    updates = list(action.updates.all())
    for update in updates:
        update.action = action
    deciders = Deciders.load()
    with_side_states(updates, deciders)
    for update in updates:
        update.report_html = _draw("update_report", update=update)
        update.record_html = _draw("update_record", update=update)
    milestones = list(action.milestones.all())
    timeline = selectors.action_timeline(action)
    return ActionPage(
        action=action,
        milestones=milestones,
        updates=updates,
        timeline=timeline,
        deciders=deciders,
        heading_html=_draw("action_heading", action=action),
        status_html=_draw("action_status", action=action),
        plan_text_html=_draw("plan_text", action=action),
        facts_html=_draw("facts", action=action),
        responsibilities_html=_draw(
            "responsibilities", responsibilities=selectors.responsibilities_by_side(action)
        ),
        milestones_html={
            managing: _draw("milestones", milestones=milestones, may_manage_milestones=managing)
            for managing in (False, True)
        },
        history_html=_draw("history", timeline=timeline),
    )


def _draw(include, **context):
    return render_to_string(f"actions/includes/{include}.html", context)
