"""Demo users and a back-dated history of three years of use, for `loadplan --demo`.

Every change is made through the same services the portal uses, with the moment it happened, so
the demo history obeys the portal's rules: nothing is done, submitted or reviewed before it
existed, and every change names its author. The history is the same on every run (seeded).
"""

import json
import random
from base64 import b32decode
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import services as accounts
from actions import selectors, services
from actions.models import Action, Review, Status
from partners.models import Institution, Membership, Side
from plancore import permissions
from plancore.seeding.amendments import propose_demo_amendments
from plancore.seeding.assessments import give_demo_assessments
from plancore.seeding.demo_meetings import hold_demo_meetings

DEMO_PASSWORD = "demo-pass-2027"
# The demo `admin`'s authenticator key (base32), published in the README so that anyone trying
# the demo can sign in with a code. For the demo only: never give it to a real account.
DEMO_ADMIN_TOTP_SECRET = "DEMOONLYDEMOONLYDEMOONLYDEMOONLY"
Role = Membership.Role
# Who releases the demo reports for each side.
EMBASSY_STAFF = {Side.DK: "embassy-dk", Side.MX: "embassy-mx"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    institution: str
    superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "Astrid", "Holm", Role.ADMINISTRATOR, "mfa-dk", superuser=True),
    DemoUser("admin-mx", "Ana", "Villanueva", Role.ADMINISTRATOR, "sre"),
    DemoUser("embassy-dk", "Mikkel", "Sørensen", Role.EMBASSY_STAFF, "embassy-dk-mx"),
    DemoUser("embassy-mx", "Lucía", "Hernández", Role.EMBASSY_STAFF, "embassy-mx-dk"),
    DemoUser("liaison-semarnat", "Diego", "Ramírez", Role.LIAISON, "semarnat"),
    DemoUser("liaison-cofepris", "Mariana", "Torres", Role.LIAISON, "cofepris"),
    DemoUser("liaison-dma", "Sofie", "Kjær", Role.LIAISON, "dkma"),
    DemoUser("official", "Henrik", "Bach", Role.OFFICIAL, "mfa-dk"),
]

# How the actions stand today, drawn with these weights ("ongoing" for continuing commitments).
FINAL_STATUSES = {
    Status.ON_TRACK: 40,
    Status.AT_RISK: 12,
    Status.DELAYED: 12,
    Status.COMPLETED: 12,
    Status.ONGOING: 20,
    Status.DISCONTINUED: 4,
}
FINAL_PROGRESS = {
    Status.ON_TRACK: (45, 80),
    Status.AT_RISK: (25, 45),
    Status.DELAYED: (15, 40),
    Status.COMPLETED: (100, 100),
    Status.ONGOING: (50, 75),
    Status.DISCONTINUED: (10, 30),
}


def create_demo_users(institutions):
    User = get_user_model()
    users = {}
    for spec in DEMO_USERS:
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@demo.invalid",
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        membership = Membership(
            user=user, institution=institutions[spec.institution], role=spec.role
        )
        membership._history_user = None
        membership.save()
        users[spec.username] = user
    return users


def give_demo_admin_an_authenticator():
    """The plan administrator's role requires a second factor: the demo `admin` has one with the
    published demo key; the other demo users sign in with the password alone."""
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        return False
    key = b32decode(DEMO_ADMIN_TOTP_SECRET).hex()
    return accounts.give_known_authenticator(user=admin, key=key)


class _History:
    """Plays one action's three years: milestones planned and met, updates posted and reviewed."""

    def __init__(self, *, action, activity, users, institutions, liaisons, now):
        self.action = action
        self.activity = activity
        self.users = users
        self.institutions = institutions
        self.now = now
        self.today = timezone.localdate(now)
        self.rng = random.Random(f"jsap-demo-{action.number}")
        responsible = {r.institution_id for r in action.responsibilities.all()}
        self.liaisons = {
            side: [u for inst_id, u in liaisons[side] if inst_id in responsible]
            for side in (Side.DK, Side.MX)
        }
        self.embassy = {Side.DK: users["embassy-dk"], Side.MX: users["embassy-mx"]}
        self.all_liaisons = liaisons[Side.DK] + liaisons[Side.MX]
        # Who speaks for each side where no liaison does: its embassy, then the secretariat.
        self.staff = {
            Side.DK: [users["embassy-dk"], users["admin"]],
            Side.MX: [users["embassy-mx"]],
        }

    def moment(self, day, hour=None):
        hour = hour if hour is not None else self.rng.randint(8, 16)
        return min(
            datetime.combine(day, time(hour, self.rng.randint(0, 59)), UTC),
            self.now - timedelta(minutes=5),
        )

    def play(self):
        self.plan_milestones()
        self.post_updates()

    def plan_milestones(self):
        plan = self.action.chapter.plan
        planned_on = plan.signed_on + timedelta(days=self.rng.randint(20, 75))
        items = self.activity["milestones"]
        # Due dates run to a little over a year ahead, so some are met, some overdue, some near.
        horizon = min(plan.period_end, self.today + timedelta(days=420))
        span = (horizon - planned_on).days
        planner = self.embassy[self.rng.choice([Side.DK, Side.MX])]
        for index, item in enumerate(items, start=1):
            share = (index - self.rng.uniform(0.1, 0.9)) / len(items)
            due = planned_on + timedelta(days=90 + int((span - 90) * share))
            responsible = self.institutions[item["responsible"]]
            milestone = services.add_milestone(
                action=self.action,
                user=planner,
                title=item["title"],
                start_date=planned_on,
                due_date=due,
                responsible=responsible,
                at=self.moment(planned_on),
            )
            if due >= self.today or self.rng.random() < 0.15:
                continue  # not due yet, or overdue
            done_on = due + timedelta(days=self.rng.randint(-30, 40))
            done_on = max(planned_on, min(done_on, self.today - timedelta(days=1)))
            services.complete_milestone(
                milestone=milestone,
                user=self.someone_for(responsible),
                done_on=done_on,
                at=self.moment(done_on),
            )

    def someone_for(self, institution):
        side = institution.side if institution.side != Side.MULTILATERAL else Side.DK
        for user in self.liaisons.get(side, []):
            if user.memberships.filter(institution=institution).exists():
                return user
        return self.embassy[side]

    def post_updates(self):
        narratives = self.activity["updates"]
        final = self.final_status()
        low, high = FINAL_PROGRESS[final]
        final_progress = self.rng.randint(low, high) // 5 * 5
        first = self.action.chapter.plan.signed_on + timedelta(days=self.rng.randint(60, 120))
        last = self.today - timedelta(days=self.rng.randint(3, 40))
        step = (last - first) / max(len(narratives) - 1, 1)
        returned_one = self.rng.random() < 0.35
        # Usually an early update was returned (and a later one approved since, which supersedes
        # it); where the activity says so, the last one was, and its author has it to revise.
        returned_at = len(narratives) - 1 if self.activity.get("returned_last") else 1
        for index, narrative in enumerate(narratives):
            is_last = index == len(narratives) - 1
            day = first + step * index + timedelta(days=self.rng.randint(-10, 10) if index else 0)
            day = min(day, last)
            status = final if is_last else self.interim_status(final)
            progress = (
                final_progress if is_last else final_progress * (index + 1) // len(narratives)
            )
            if status == Status.COMPLETED:
                progress = 100
            returned = returned_one and index == returned_at
            author = (returned and is_last and self.liaison_author()) or self.author()
            submitted = self.moment(day)
            update = services.submit_update(
                action=self.action,
                author=author,
                status=status,
                progress=progress,
                narrative=narrative,
                at=submitted,
            )
            self.action.refresh_from_db()
            services.update_action_status(
                action=self.action,
                user=author,
                status=status,
                progress=progress,
                expected_version=self.action.version,
                at=submitted + timedelta(minutes=1),
            )
            self.review(update, submitted, is_last=is_last, returned=returned)

    def final_status(self):
        if self.action.text.startswith("Continue"):
            return Status.ONGOING
        statuses = list(FINAL_STATUSES)
        return self.rng.choices(statuses, weights=list(FINAL_STATUSES.values()))[0]

    def interim_status(self, final):
        if final == Status.ONGOING:
            return Status.ONGOING
        return self.rng.choices([Status.ON_TRACK, Status.AT_RISK], weights=[5, 1])[0]

    def author(self):
        """A liaison of the action or an embassy officer, such that both sides keep someone
        other than the author to decide on the update (nobody reviews their own)."""
        liaisons = self.liaisons[Side.DK] + self.liaisons[Side.MX]
        candidates = [self.embassy[Side.DK], self.embassy[Side.MX]]
        self.rng.shuffle(candidates)
        if liaisons and self.rng.random() < 0.6:
            candidates.insert(0, self.rng.choice(liaisons))
        return next(c for c in candidates if self.both_sides_can_decide(c))

    def liaison_author(self):
        """The first of the action's liaisons (Mexican, then Danish) whom both sides can review."""
        for user in self.liaisons[Side.MX] + self.liaisons[Side.DK]:
            if self.both_sides_can_decide(user):
                return user
        return None

    def both_sides_can_decide(self, author):
        for side in (Side.DK, Side.MX):
            liaisons = [u for u in self.liaisons[side] if u != author]
            staff = [u for u in self.staff[side] if u != author]
            if not (liaisons or staff):
                return False
        return True

    def reviewer(self, side, update):
        """Whom the rules let decide for `side`, preferring someone other than the author."""
        update = selectors.updates_for_review().get(pk=update.pk)
        candidates = [u for _inst, u in self.all_liaisons] + self.staff[side]
        allowed = [u for u in candidates if side in permissions.review_sides(u, update)]
        others = [u for u in allowed if u != update.author]
        return (others or allowed)[0]

    def review(self, update, submitted, *, is_last, returned):
        sides = [Side.DK, Side.MX]
        self.rng.shuffle(sides)
        recent = (self.now - submitted).days < 30
        for position, side in enumerate(sides):
            if is_last and recent and position == 1:
                return  # the newest update still waits for the second side
            decided = submitted + timedelta(days=self.rng.randint(1, 12), hours=position)
            if decided >= self.now:
                return
            decision = Review.Decision.RETURNED if returned else Review.Decision.APPROVED
            services.review_update(
                update=update,
                reviewer=self.reviewer(side, update),
                side=side,
                decision=decision,
                comment=self.activity["returned_comment"] if returned else "",
                at=decided,
            )
            if returned:
                return


def demo_reports_wanted(today):
    """(kind, period, language, released) of each demo report: the last annual review and the
    last quarter's report released by both sides, one draft left."""
    from reporting.models import Report
    from reporting.periods import Period, last_complete_quarter

    annual, quarter = Period(today.year - 1), last_complete_quarter(today)
    return [
        (Report.Kind.ANNUAL, annual, "en", True),
        (Report.Kind.ANNUAL, annual, "es", True),
        (Report.Kind.QUARTERLY, quarter, "en", True),
        (Report.Kind.QUARTERLY, quarter, "es", False),
    ]


def queue_demo_reports(plan, users, today):
    """The demo reports as the secretariat would have requested them, queued to be built."""
    from reporting.models import Report

    wanted = demo_reports_wanted(today)
    for kind, period, language, _released in wanted:
        Report.objects.create(
            plan=plan,
            kind=kind,
            year=period.year,
            quarter=period.quarter,
            language=language,
            as_of=period.as_of_date(today),
            requested_by=users["embassy-dk"],
        )
    return len(wanted)


def pending_demo_reports(plan):
    """The demo reports still queued (their build not yet started or lost)."""
    from reporting.models import Report

    return Report.objects.filter(
        plan=plan, requested_by__username="embassy-dk", state=Report.State.QUEUED
    ).order_by("pk")


def build_demo_reports(plan, progress=None):
    """Build the queued demo reports through the reporting services, each released by both
    sides if the demo wants it so; `progress(text)` hears of each. Returns how many were built."""
    from reporting import services as reporting
    from reporting.models import Report

    User = get_user_model()
    embassy = {u.username: u for u in User.objects.filter(username__in=EMBASSY_STAFF.values())}
    released = {
        (kind, period.year, period.quarter, language)
        for kind, period, language, release in demo_reports_wanted(timezone.localdate())
        if release
    }
    pending = list(pending_demo_reports(plan))
    built = 0
    for position, report in enumerate(pending, start=1):
        report = reporting.build(report.pk)
        if report.state != Report.State.READY:
            continue
        built += 1
        if (report.kind, report.year, report.quarter, report.language) in released:
            for side, username in EMBASSY_STAFF.items():
                if not report.released_on(side):
                    reporting.release(report, user=embassy[username], side=side)
        if progress:
            progress(
                f"Demo reports: {position} of {len(pending)} built "
                f"({report.get_kind_display()} {report.period.label}, {report.language}, "
                f"{report.pages} pages)."
            )
    return built


def load_demo(plan, directory, now=None, build_reports=True):
    """Create the demo users and history once; a second call changes nothing. The demo reports
    are queued with them, and built now unless `build_reports` is false (`loadplan --demo`
    builds them in the background: see build_demo_reports)."""
    message = _load_demo(plan, directory, now)
    if build_reports:
        build_demo_reports(plan)
    return message


@transaction.atomic
def _load_demo(plan, directory, now):
    if Membership.objects.filter(user__username="embassy-dk").exists():
        if give_demo_admin_an_authenticator():
            return "The demo was already loaded; the demo admin now has the demo authenticator key."
        return "The demo users and history are already loaded; nothing changed."
    now = now or timezone.now()
    with open(directory / "activity.json", encoding="utf-8") as handle:
        activity = json.load(handle)
    institutions = {i.code: i for i in Institution.objects.select_related("country")}
    users = create_demo_users(institutions)
    give_demo_admin_an_authenticator()
    liaisons = {Side.DK: [], Side.MX: []}
    for membership in Membership.objects.filter(role=Role.LIAISON).select_related(
        "user", "institution__country"
    ):
        if membership.institution.side in liaisons:
            liaisons[membership.institution.side].append(
                (membership.institution_id, membership.user)
            )
    actions = Action.objects.in_plan(plan).for_list()
    for action in actions:
        _History(
            action=action,
            activity=activity[action.number],
            users=users,
            institutions=institutions,
            liaisons=liaisons,
            now=now,
        ).play()
    amendments = propose_demo_amendments(plan, users, now)
    meetings = hold_demo_meetings(plan, users, now)
    assessed = give_demo_assessments(plan, users, now)
    reports = queue_demo_reports(plan, users, timezone.localdate(now))
    return (
        f"Demo: {len(users)} users (password {DEMO_PASSWORD!r}), the history of "
        f"{len(actions)} actions from {plan.signed_on:%d %B %Y} to {now:%d %B %Y}, "
        f"{amendments} amendments, both sides' assessments of {assessed} actions, "
        f"{meetings} meetings with their decisions, and {reports} reports."
    )
