"""A synthetic plan of the real plan's shape and history, at any size, for benchmarks.

It is written with bulk inserts (history included) so that thousands of actions take seconds.
Each action starts, like the real ones, with a history row at signing; then each of its updates
moves its status and progress, is approved by both sides, and leaves its own history row.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions import figures
from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review, Status
from actions.search import index_for_search
from partners.models import Country, Institution, Side
from plancore.models import Chapter, Plan, SustainableDevelopmentGoal

SIGNED_ON = date(2023, 8, 9)
PERIOD_END = date(2027, 12, 31)
INSTITUTIONS_PER_SIDE = 12
STATUSES = [Status.ON_TRACK, Status.AT_RISK, Status.DELAYED, Status.ONGOING, Status.COMPLETED]


class PlanExists(Exception):
    pass


def _at(day, hour=12):
    return datetime.combine(day, time(hour), UTC)


def _fixed_parties():
    countries = {}
    for code, name in (("DK", "Denmark"), ("MX", "Mexico")):
        countries[code], _ = Country.objects.get_or_create(code=code, defaults={"name": name})
    institutions = {}
    for code in ("DK", "MX"):
        institutions[code] = [
            Institution.objects.get_or_create(
                code=f"synthetic-{code.lower()}-{n:02d}",
                defaults={
                    "name": f"Synthetic {countries[code].name} institution {n}",
                    "country": countries[code],
                    "kind": Institution.Kind.AGENCY,
                },
            )[0]
            for n in range(1, INSTITUTIONS_PER_SIDE + 1)
        ]
    User = get_user_model()
    users = {
        code: User.objects.get_or_create(username=f"synthetic-{code.lower()}")[0]
        for code in ("DK", "MX")
    }
    return countries, institutions, users


@transaction.atomic
def build_synthetic_plan(*, actions, milestones_per_action, updates_per_action, chapters=6, seed=1):
    """Create the plan 'synthetic-<actions>'; refuse if it exists. Returns the plan."""
    slug = f"synthetic-{actions}"
    if Plan.objects.filter(slug=slug).exists():
        raise PlanExists(f"A plan {slug!r} exists already.")
    rng = random.Random(seed)
    today = timezone.localdate()
    signed = _at(SIGNED_ON)
    countries, institutions, users = _fixed_parties()
    sdgs = list(SustainableDevelopmentGoal.objects.all())

    plan = Plan(
        slug=slug,
        title=f"Synthetic plan of {actions} actions",
        signed_on=SIGNED_ON,
        period_start=SIGNED_ON,
        period_end=PERIOD_END,
    )
    plan._history_date = signed
    plan.save()
    plan.parties.set(countries.values())
    chapter_rows = bulk_create_with_history(
        [
            Chapter(plan=plan, number=n, title=f"Chapter {n}", background=f"Background {n}.")
            for n in range(1, chapters + 1)
        ],
        Chapter,
        default_date=signed,
    )

    action_rows, positions = [], {}
    for index in range(actions):
        chapter = chapter_rows[index % chapters]
        positions[chapter.pk] = positions.get(chapter.pk, 0) + 1
        number = f"{chapter.number}.{positions[chapter.pk]}"
        action_rows.append(
            Action(
                chapter=chapter,
                position=positions[chapter.pk],
                plan_order=chapter.order_base + positions[chapter.pk],
                number=number,
                short_title=f"Synthetic action {number}",
                text=f"The governments of Denmark and Mexico will carry out action {number}.",
                start_date=SIGNED_ON,
                target_date=PERIOD_END,
            )
        )
    action_rows = bulk_create_with_history(
        action_rows,
        Action,
        batch_size=500,
        default_date=signed,
        default_change_reason="Synthetic plan",
    )
    index_for_search(Action.objects.in_plan(plan))
    if sdgs:
        through = Action.sdgs.through
        through.objects.bulk_create(
            (
                through(action_id=a.pk, sustainabledevelopmentgoal_id=rng.choice(sdgs).pk)
                for a in action_rows
            ),
            batch_size=1000,
        )

    responsibilities = []
    for action in action_rows:
        for side in (Side.DK, Side.MX):
            lead, partner = rng.sample(institutions[side], 2)
            responsibilities.append(
                Responsibility(action=action, institution=lead, side=side, role="lead")
            )
            responsibilities.append(
                Responsibility(action=action, institution=partner, side=side, role="partner")
            )
    bulk_create_with_history(responsibilities, Responsibility, batch_size=1000, default_date=signed)

    span = (PERIOD_END - SIGNED_ON).days
    milestones = []
    for action in action_rows:
        for n in range(milestones_per_action):
            due = SIGNED_ON + timedelta(
                days=30 + span * (n + rng.random()) // milestones_per_action
            )
            done = due if due < today and rng.random() < 0.8 else None
            milestones.append(
                Milestone(
                    action=action,
                    title=f"Milestone {n + 1} of action {action.number}",
                    start_date=SIGNED_ON,
                    due_date=due,
                    done_on=done,
                    responsible=rng.choice(institutions[rng.choice([Side.DK, Side.MX])]),
                )
            )
    bulk_create_with_history(milestones, Milestone, batch_size=2000, default_date=signed)

    _synthesize_updates(rng, action_rows, updates_per_action, users, today)
    figures.invalidate()
    return plan


def _synthesize_updates(rng, action_rows, updates_per_action, users, today):
    if not updates_per_action:
        return
    first, last = SIGNED_ON + timedelta(days=60), today - timedelta(days=7)
    step = (last - first) / updates_per_action
    updates, history = [], []
    historical = Action.history.model
    fields = [f.attname for f in historical.tracked_fields]
    for action in action_rows:
        final = rng.choice(STATUSES)
        for n in range(updates_per_action):
            is_last = n == updates_per_action - 1
            status = final if is_last else Status.ON_TRACK
            progress = 100 if status == Status.COMPLETED else 90 * (n + 1) // updates_per_action
            author = users[rng.choice(["DK", "MX"])]
            submitted = _at(first + step * n, hour=10)
            updates.append(
                ProgressUpdate(
                    action=action,
                    author=author,
                    submitted_at=submitted,
                    status=status,
                    progress=progress,
                    narrative=f"Progress on action {action.number}, report {n + 1}.",
                    review_state=ProgressUpdate.ReviewState.APPROVED,
                )
            )
            action.status, action.progress, action.version = status, progress, action.version + 1
            row = historical(**{name: getattr(action, name) for name in fields})
            row.history_date, row.history_type, row.history_user = submitted, "~", author
            history.append(row)
    updates = bulk_create_with_history(updates, ProgressUpdate, batch_size=2000)
    historical.objects.bulk_create(history, batch_size=2000)
    Action.objects.bulk_update(action_rows, ["status", "progress", "version"], batch_size=1000)
    reviews = [
        Review(
            update=update,
            side=side,
            reviewer=users[side],
            decision=Review.Decision.APPROVED,
            decided_at=update.submitted_at + timedelta(days=3),
        )
        for update in updates
        for side in (Side.DK, Side.MX)
    ]
    bulk_create_with_history(reviews, Review, batch_size=2000)
