"""What an action's page shows the same way to every reader, kept with the plan figures
(actions/figures.py) so that a reading costs one round trip to the cache; what depends on the
reader (their rights, the reviews they may take, the amendments they may see) the view asks on
each request.

The parts that hold nothing of the reader (the responsible institutions, each update's side
states, the history) are kept drawn by their includes, in the language of the key; the milestones
table twice, as those who manage milestones see it (with the links to change them) and as
everyone else does.
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
    updates: list  # each with its labels, its side_states and, drawn, side_states_html
    timeline: list  # [selectors.Event], newest first
    deciders: Deciders  # who may decide on updates, for the reviews the reader may take
    responsibilities_html: str
    milestones_html: dict  # {may the reader manage milestones: the table as they see it}
    history_html: str


def kept(pk):
    """The ActionPage of action `pk` until the figures are dropped; raises Action.DoesNotExist."""
    return figures.cached(f"action-page-{pk}", None, timezone.localdate(), lambda: build(pk))


def build(pk):
    action = selectors.action_for_detail(pk)
    updates = list(action.updates.all())
    for update in updates:
        update.action = action
        update.status_label = update.get_status_display()
        update.review_state_label = update.get_review_state_display()
    deciders = Deciders.load()
    with_side_states(updates, deciders)
    for update in updates:
        update.side_states_html = render_to_string(
            "actions/includes/side_states.html", {"update": update}
        )
    milestones = list(action.milestones.all())
    timeline = selectors.action_timeline(action)
    return ActionPage(
        action=action,
        milestones=milestones,
        updates=updates,
        timeline=timeline,
        deciders=deciders,
        responsibilities_html=render_to_string(
            "actions/includes/responsibilities.html",
            {"responsibilities": selectors.responsibilities_by_side(action)},
        ),
        milestones_html={
            managing: render_to_string(
                "actions/includes/milestones.html",
                {"milestones": milestones, "may_manage_milestones": managing},
            )
            for managing in (False, True)
        },
        history_html=render_to_string("actions/includes/history.html", {"timeline": timeline}),
    )
