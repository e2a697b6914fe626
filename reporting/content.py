"""What a report says, read from the history tables as the plan stood at the end of its period.

Nothing here reads the live tables of actions, milestones, responsibilities or updates: the Q2 2025
report built today says what it would have said on 30 June 2025. The history rows keep every
language of the content fields, so titles and texts read in the report's (active) language as they
stood then; each says which language it is in, for the PDF's `lang` attributes.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import (
    Action,
    Milestone,
    ProgressUpdate,
    Responsibility,
    Status,
    number_key,
    read_narrative,
)
from actions.progress_history import chapter_progress_by_quarter
from partners.models import Agreement, Country, Institution, Side
from plancore.charts import chapter_progress_chart, progress_over_time_chart
from plancore.history import snapshot
from plancore.languages import SIGNED_LANGUAGE, content_language, shown_language
from plancore.models import Chapter
from reporting.amendments_annex import amendments_annex
from reporting.assessments import assessment_review
from reporting.periods import end_of_day
from reporting.summary import summary_facts, summary_paragraphs


@dataclass
class MilestoneLine:
    title: str
    due_date: date
    done_on: date | None
    responsible: str
    overdue_days: int = 0
    title_lang: str = SIGNED_LANGUAGE
    responsible_side: str = ""


@dataclass
class ActionBlock:
    id: int
    number: str
    title: str
    status: str
    status_label: str
    progress: int
    leads: dict
    partners: list
    milestones: list = field(default_factory=list)
    narrative: str = ""
    narrative_date: date | None = None
    title_lang: str = SIGNED_LANGUAGE
    narrative_lang: str = SIGNED_LANGUAGE


@dataclass
class ChapterBlock:
    number: int
    title: str
    actions: list
    counts: dict
    progress: int
    chart: str = ""
    title_lang: str = SIGNED_LANGUAGE


@dataclass
class PlanAsOf:
    """A plan's rows as they stood at one moment: history rows, keyed by id where it helps."""

    chapters: dict
    actions: dict
    responsibilities: list
    milestones: list
    updates: list


def plan_as_of(*, plan, moment, chapter=None, institution=None):
    """The plan's chapters, actions, responsibilities, milestones and progress updates as they
    stood at `moment`, read from the history tables in a fixed number of queries: what reports
    say and what the API answers for `?as_of=`. `chapter` and `institution` narrow it to the
    actions of that chapter, or those the institution is responsible for."""
    chapters = {c.id: c for c in snapshot(Chapter, moment, plan_id=plan.pk) if c.number is not None}
    if chapter is not None:
        chapters = {cid: c for cid, c in chapters.items() if c.number == chapter.number}
    actions = {a.id: a for a in snapshot(Action, moment, chapter_id__in=list(chapters))}
    responsibilities = snapshot(Responsibility, moment, action_id__in=list(actions))
    if institution is not None:
        involved = {r.action_id for r in responsibilities if r.institution_id == institution.pk}
        actions = {aid: a for aid, a in actions.items() if aid in involved}
        responsibilities = [r for r in responsibilities if r.action_id in actions]
    return PlanAsOf(
        chapters=chapters,
        actions=actions,
        responsibilities=responsibilities,
        milestones=snapshot(Milestone, moment, action_id__in=list(actions)),
        updates=snapshot(ProgressUpdate, moment, action_id__in=list(actions)),
    )


def build_content(*, plan, kind, period, chapter=None, institution=None, today=None):
    """The data of one report; `kind` is a Report.Kind value, `period` a Period."""
    as_of = period.as_of_date(today)
    moment = end_of_day(as_of)
    previous = period.previous()
    previous_moment = end_of_day(min(previous.end, as_of))
    labels = {status.value: status.label for status in Status}

    stood = plan_as_of(plan=plan, moment=moment, chapter=chapter, institution=institution)
    chapters, actions, responsibilities = stood.chapters, stood.actions, stood.responsibilities
    milestones, updates = stood.milestones, stood.updates
    institutions = {i.id: i for i in snapshot(Institution, moment)}
    countries = dict(Country.objects.values_list("pk", "code"))

    blocks = _action_blocks(
        actions, responsibilities, institutions, countries, milestones, updates, as_of, labels
    )
    chapter_blocks = []
    for chapter_row in sorted(chapters.values(), key=lambda c: c.number):
        members = sorted(
            (b for b in blocks.values() if actions[b.id].chapter_id == chapter_row.id),
            key=lambda b: number_key(b.number),
        )
        if not members:
            continue
        counts = Counter(b.status for b in members)
        chapter_blocks.append(
            ChapterBlock(
                number=chapter_row.number,
                title=chapter_row.title,
                title_lang=shown_language(chapter_row, "title"),
                actions=members,
                counts={s: counts.get(s, 0) for s in labels},
                progress=round(sum(b.progress for b in members) / len(members)),
            )
        )
    over_time = _progress_over_time(plan, as_of, chapters, chapter_blocks)

    before = {
        a.id: (a.status, a.progress)
        for a in snapshot(Action, previous_moment, id__in=list(actions))
    }
    status_counts = Counter(b.status for b in blocks.values())
    all_milestones = [m for b in blocks.values() for m in b.milestones]
    overdue = sorted(
        ((b, m) for b in blocks.values() for m in b.milestones if m.overdue_days),
        key=lambda pair: (pair[1].due_date, number_key(pair[0].number)),
    )
    facts = summary_facts(
        blocks=list(blocks.values()),
        before=before,
        period=period,
        as_of=as_of,
        chapter_count=len(chapter_blocks),
    )
    return {
        "plan": plan,
        "kind": kind,
        "period": period,
        "as_of": as_of,
        "chapter": chapter,
        "institution": institution,
        "parties": list(plan.parties.order_by("code")),
        # The plan's text is signed in English: read in any other language, it is a translation.
        "content_language": content_language(),
        "unofficial_translation": content_language() != SIGNED_LANGUAGE,
        "summary": {
            "actions": len(blocks),
            "status_rows": [(s, labels[s], status_counts.get(s, 0)) for s in labels],
            "milestones": len(all_milestones),
            "milestones_done": sum(1 for m in all_milestones if m.done_on),
            "milestones_overdue": len(overdue),
            "facts": facts,
            "paragraphs": summary_paragraphs(facts),
            "over_time_chart": over_time,
            "chapters_chart": chapter_progress_chart(
                [
                    {"label": f"{c.number}. {c.title}", "counts": c.counts, "progress": c.progress}
                    for c in chapter_blocks
                ],
                title=_("Actions by status and mean progress, per chapter"),
                id_prefix="chapters",
                labels=labels,
            ),
        },
        "changes": _changes(period, as_of, blocks, updates, before, labels),
        "chapters": chapter_blocks,
        "overdue": overdue,
        "institutions_annex": _institutions_annex(responsibilities, institutions, countries),
        "agreements_annex": _agreements_annex(actions),
        "amendments_annex": amendments_annex(
            plan=plan, start=period.start, moment=moment, action_ids=actions
        ),
        "assessments": assessment_review(
            blocks=blocks, period=period, built_on=today or timezone.localdate()
        )
        if kind == "annual"
        else None,
    }


def _progress_over_time(plan, as_of, chapters, chapter_blocks):
    """Each chapter's mean progress quarter by quarter, from the plan's start to the as-of date:
    one chart of every chapter for the summary, and one of its own per chapter block."""
    by_number = {c.number: cid for cid, c in chapters.items()}
    shown = [block for block in chapter_blocks if block.number in by_number]
    points, series = chapter_progress_by_quarter(
        plan=plan, until=as_of, chapter_ids=[by_number[block.number] for block in shown]
    )
    for block in shown:
        block.chart = progress_over_time_chart(
            [
                {
                    "label": f"{block.number}. {block.title}",
                    "values": series[by_number[block.number]],
                }
            ],
            points=points,
            title=_("Chapter %(number)s: mean progress by quarter") % {"number": block.number},
            id_prefix=f"chapter-{block.number}",
        )
    return progress_over_time_chart(
        [
            {"label": f"{block.number}. {block.title}", "values": series[by_number[block.number]]}
            for block in shown
        ],
        points=points,
        title=_("Mean progress of each chapter by quarter"),
        id_prefix="over-time",
    )


def _action_blocks(
    actions, responsibilities, institutions, countries, milestones, updates, as_of, labels
):
    by_action = defaultdict(list)
    for r in responsibilities:
        by_action[r.action_id].append(r)
    blocks = {}
    for action in actions.values():
        leads, partners = {}, []
        for r in by_action[action.id]:
            name = _name(institutions.get(r.institution_id))
            if r.role == Responsibility.Role.LEAD:
                leads[r.side] = name
            else:
                partners.append(name)
        blocks[action.id] = ActionBlock(
            id=action.id,
            number=action.number,
            title=action.short_title,
            title_lang=shown_language(action, "short_title"),
            status=action.status,
            status_label=labels.get(action.status, action.status),
            progress=action.progress,
            leads={Side.DK: leads.get(Side.DK, "—"), Side.MX: leads.get(Side.MX, "—")},
            partners=sorted(partners),
        )
    for m in sorted(milestones, key=lambda m: (m.due_date, m.id)):
        overdue = (as_of - m.due_date).days if (m.done_on is None and m.due_date < as_of) else 0
        responsible = institutions.get(m.responsible_id) if m.responsible_id else None
        blocks[m.action_id].milestones.append(
            MilestoneLine(
                title=m.title,
                title_lang=shown_language(m, "title"),
                due_date=m.due_date,
                done_on=m.done_on,
                responsible=_name(responsible),
                responsible_side=_side(responsible, countries),
                overdue_days=overdue,
            )
        )
    approved = [u for u in updates if u.review_state == ProgressUpdate.ReviewState.APPROVED]
    for update in sorted(approved, key=lambda u: u.submitted_at):
        block = blocks[update.action_id]
        block.narrative, block.narrative_lang = read_narrative(update, content_language())
        block.narrative_date = update.submitted_at.date()
    return blocks


def _name(institution):
    if institution is None:
        return "—"
    return institution.acronym or institution.name


def _side(institution, countries):
    """DK or MX for an institution of either country; any other (an international body, or an
    institution of a third country) is neither side's."""
    if institution is None:
        return ""
    code = countries.get(institution.country_id)
    return code if code in (Side.DK, Side.MX) else Side.MULTILATERAL


def _changes(period, as_of, blocks, updates, before, labels):
    moves = sorted(
        (
            (
                blocks[aid].number,
                blocks[aid].title,
                labels.get(status, status),
                blocks[aid].status_label,
            )
            for aid, (status, _progress) in before.items()
            if aid in blocks and status != blocks[aid].status
        ),
        key=lambda row: number_key(row[0]),
    )
    completed = sorted(
        (
            (b.number, m.title, m.done_on)
            for b in blocks.values()
            for m in b.milestones
            if m.done_on and period.start <= m.done_on <= as_of
        ),
        key=lambda row: (row[2], number_key(row[0])),
    )
    new_updates = sorted(
        (
            (blocks[u.action_id].number, u.submitted_at.date(), u.get_review_state_display())
            for u in updates
            if period.start <= u.submitted_at.date() <= as_of
        ),
        key=lambda row: (row[1], number_key(row[0])),
    )
    return {"status_moves": moves, "milestones_completed": completed, "new_updates": new_updates}


ANNEX_GROUPS = {
    Side.DK: lambda: _("Danish institutions"),
    Side.MX: lambda: _("Mexican institutions"),
    Side.MULTILATERAL: lambda: _("International bodies and networks"),
}
KIND_ORDER = {kind: index for index, kind in enumerate(Institution.Kind.values)}


@dataclass
class AnnexInstitution:
    name: str
    acronym: str
    kind: str
    kind_label: str
    leads: int
    partners: int
    name_lang: str = SIGNED_LANGUAGE


def _institutions_annex(responsibilities, institutions, countries):
    """The institutions responsible for the report's actions, grouped by side, each named as
    what it is (a ministry, a city, an international organisation…), in the order of their kind."""
    involved = defaultdict(Counter)
    for r in responsibilities:
        involved[r.institution_id][r.role] += 1
    groups = {side: [] for side in ANNEX_GROUPS}
    for institution_id, roles in involved.items():
        institution = institutions.get(institution_id)
        if institution is None:
            continue
        kind = institution.kind
        groups[_side(institution, countries)].append(
            AnnexInstitution(
                name=institution.name,
                name_lang=shown_language(institution, "name"),
                acronym=institution.acronym,
                kind=kind,
                kind_label=Institution.Kind(kind).label
                if kind in Institution.Kind.values
                else kind,
                leads=roles[Responsibility.Role.LEAD],
                partners=roles[Responsibility.Role.PARTNER],
            )
        )
    return [
        {
            "side": side,
            "heading": heading(),
            "rows": sorted(groups[side], key=lambda i: (KIND_ORDER.get(i.kind, 99), i.name)),
        }
        for side, heading in ANNEX_GROUPS.items()
        if groups[side]
    ]


def _agreements_annex(actions):
    numbers = defaultdict(list)
    through = Action.agreements.through.objects.filter(action_id__in=list(actions)).select_related(
        "action"
    )
    for link in through:
        numbers[link.agreement_id].append(link.action.number)
    agreements = Agreement.objects.filter(pk__in=list(numbers)).prefetch_related("extensions")
    return [
        (a, sorted(numbers[a.pk], key=number_key))
        for a in sorted(agreements, key=lambda a: (a.signed_on or date.max, a.title))
    ]
