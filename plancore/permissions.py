"""Every "may this user…" question of the portal, answered in one place.

Views, templates (through the `portal` template tags), forms and the admin ask these predicates;
none of them decides a right on its own. A user's rights follow from their memberships:

- plan administrator: everything, including the audit log;
- embassy staff: update any action, manage milestones, post updates, review for their side
  where the responsible institutions on that side have no liaison;
- ministry liaison: update the status of, post updates on, and review for their side the actions
  their institutions are responsible for; change nothing else (no milestones, no reports but
  their institution's);
- official: read everything; change nothing.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import ProgressUpdate, Responsibility, Review
from amendments.models import Amendment, ProposedResponsibility
from partners.models import Membership, Side

Role = Membership.Role
COUNTRY_SIDES = (Side.DK, Side.MX)


def _memberships(user):
    """The user's memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, "_portal_memberships"):
        user._portal_memberships = list(
            Membership.objects.filter(user=user).select_related("institution__country")
        )
    return user._portal_memberships


def roles(user):
    return {m.role for m in _memberships(user)}


def is_administrator(user):
    return bool(getattr(user, "is_superuser", False)) or Role.ADMINISTRATOR in roles(user)


def is_embassy_staff(user):
    return Role.EMBASSY_STAFF in roles(user)


def is_liaison(user):
    return Role.LIAISON in roles(user)


def liaison_institution_ids(user):
    return {m.institution_id for m in _memberships(user) if m.role == Role.LIAISON}


def staff_sides(user):
    """The sides for which the user speaks as embassy staff or plan administrator."""
    return {
        m.institution.side
        for m in _memberships(user)
        if m.role in (Role.EMBASSY_STAFF, Role.ADMINISTRATOR)
        and m.institution.side in COUNTRY_SIDES
    }


def embassy_staff_sides(user):
    """The sides for which the user speaks as embassy staff (administrators not counted)."""
    return {
        m.institution.side
        for m in _memberships(user)
        if m.role == Role.EMBASSY_STAFF and m.institution.side in COUNTRY_SIDES
    }


def can_use_portal(user):
    """Signed in and placed at an institution (or a superuser)."""
    return bool(getattr(user, "is_superuser", False)) or bool(_memberships(user))


def can_edit_plan(user):
    """Embassy staff and administrators may change any action; liaisons only their own."""
    return is_administrator(user) or is_embassy_staff(user)


def is_responsible(user, action):
    """One of the user's institutions is responsible for the action (reads prefetched rows)."""
    mine = liaison_institution_ids(user)
    return bool(mine) and any(r.institution_id in mine for r in action.responsibilities.all())


def can_update_action(user, action):
    return can_edit_plan(user) or is_responsible(user, action)


def can_post_update(user, action):
    return can_update_action(user, action)


def can_post_any_updates(user):
    """Whether can_post_update allows the user some action: officials post none."""
    return can_edit_plan(user) or is_liaison(user)


def can_review_any_updates(user):
    """Whether the user may ever decide on updates (review_sides): liaisons for their
    institutions, embassy staff and administrators for their side; officials never."""
    return is_liaison(user) or bool(staff_sides(user)) or is_administrator(user)


def can_manage_milestones(user, action):
    return can_edit_plan(user)


def updatable_actions(user):
    """Filters actions to those can_update_action allows the user, in the database."""
    return Q() if can_edit_plan(user) else responsibility_filter_for(user)


def can_manage_any_milestones(user):
    """Whether can_manage_milestones allows the user some action's milestones."""
    return can_edit_plan(user)


def can_import_spreadsheet(user):
    """Who may change actions may update them from a spreadsheet; officials only export."""
    return can_edit_plan(user) or is_liaison(user)


def can_translate_update(user, update):
    """Who may post updates on its action may add (or correct) its narrative's translation."""
    return can_post_update(user, update.action)


def can_translate_milestone(user, milestone):
    """Who may change the action's milestones may add (or correct) a milestone's translation."""
    return can_manage_milestones(user, milestone.action)


# Amendments to the plan: one side proposes, a plan administrator of each side approves.


def administrator_sides(user):
    """The sides for which the user is a plan administrator (a superuser speaks for neither):
    those who decide amendments and agree joint assessments."""
    return {
        m.institution.side
        for m in _memberships(user)
        if m.role == Role.ADMINISTRATOR and m.institution.side in COUNTRY_SIDES
    }


def can_propose_amendment(user):
    """Embassy staff and plan administrators of either side propose; liaisons and officials not."""
    return bool(staff_sides(user))


def amendment_decision_sides(user, amendment):
    """The sides for which the user may approve or reject the amendment now: each plan
    administrator decides for their own side only, the proposer too, and each side once."""
    if amendment.state != Amendment.State.PROPOSED:
        return set()
    decided = {decision.side for decision in amendment.decisions.all()}
    return administrator_sides(user) - decided


def can_approve_amendment(user, amendment):
    return bool(amendment_decision_sides(user, amendment))


def can_reject_amendment(user, amendment):
    return bool(amendment_decision_sides(user, amendment))


def can_withdraw_amendment(user, amendment):
    """The proposer may withdraw an amendment until it is decided."""
    return amendment.state == Amendment.State.PROPOSED and amendment.proposed_by_id == getattr(
        user, "pk", None
    )


def sees_all_amendments(user):
    """Proposals are the two sides' working drafts: staff and administrators of both sides see
    them all; a liaison sees those touching their institutions' actions; everyone else (officials)
    sees the amendments in force, which are part of the plan."""
    return can_edit_plan(user)


def visible_amendments(user):
    """A filter (Q) on Amendment: those can_see_amendment allows the user."""
    if sees_all_amendments(user):
        return Q()
    in_force = Q(state=Amendment.State.IN_FORCE)
    mine = liaison_institution_ids(user)
    if not mine:
        return in_force
    touches_action = Exists(
        Responsibility.objects.filter(action=OuterRef("action"), institution__in=mine)
    )
    proposes_mine = Exists(
        ProposedResponsibility.objects.filter(amendment=OuterRef("pk"), institution__in=mine)
    )
    return in_force | touches_action | proposes_mine


def can_see_amendment(user, amendment):
    """visible_amendments' rule for one amendment (reads prefetched responsibilities)."""
    if sees_all_amendments(user) or amendment.state == Amendment.State.IN_FORCE:
        return True
    mine = liaison_institution_ids(user)
    concerned = {p.institution_id for p in amendment.responsibilities.all()}
    if amendment.action_id:
        concerned |= {r.institution_id for r in amendment.action.responsibilities.all()}
    return bool(mine & concerned)


def can_view_audit_log(user):
    return is_administrator(user)


def may_administer_site(user):
    """The administration site (structure, users, schedules, audit log) is the secretariat's."""
    return bool(getattr(user, "is_active", False)) and user.is_staff and is_administrator(user)


def can_use_admin(user):
    """The secretariat, once this session has passed the second sign-in step."""
    return may_administer_site(user) and passed_second_step(user)


# The second sign-in step (multi-factor authentication)


def must_use_second_factor(user):
    """The user's role is one of MFA_REQUIRED_ROLES (superusers count as administrators)."""
    required = set(settings.MFA_REQUIRED_ROLES)
    if not required or not getattr(user, "is_authenticated", False):
        return False
    mine = roles(user) | ({Role.ADMINISTRATOR} if is_administrator(user) else set())
    return bool(mine & required)


def has_second_factor(user):
    """The user has set up an authenticator app (recovery codes come with it)."""
    return (
        getattr(user, "is_authenticated", False)
        and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def passed_second_step(user):
    """This session was confirmed with a code (django-otp's middleware tells which device)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def owes_second_step(user):
    """Signed in with the password but not yet with a code, though the user has an app set up."""
    return (
        getattr(user, "is_authenticated", False)
        and not passed_second_step(user)
        and has_second_factor(user)
    )


def must_set_up_second_factor(user):
    """The user's role requires a second factor and they have none yet."""
    return (
        must_use_second_factor(user)
        and not passed_second_step(user)
        and not has_second_factor(user)
    )


def can_remove_second_factor(user):
    """Anyone may stop using a second factor, except those whose role requires one."""
    return has_second_factor(user) and not must_use_second_factor(user)


def can_request_reports(user):
    """Embassy staff and administrators request any report; liaisons their institution's."""
    return can_edit_plan(user) or is_liaison(user)


def can_request_report(user, kind, institution=None):
    if can_edit_plan(user):
        return True
    return (
        kind == "institution"
        and institution is not None
        and institution.pk in liaison_institution_ids(user)
    )


def sees_all_draft_reports(user):
    """A report is the two governments' joint statement only once both sides have released it;
    until then it is a draft for the people who check and release it: embassy staff and plan
    administrators see every draft. A liaison sees drafts of their own institution's reports
    only (to check what is said of their institution); officials see released reports only."""
    return can_edit_plan(user)


def visible_reports(user):
    """A filter (Q) on Report that keeps the reports this user may see; see can_see_report."""
    if sees_all_draft_reports(user):
        return Q()
    released = Q(released_dk_at__isnull=False, released_mx_at__isnull=False)
    own_drafts = Q(kind="institution", institution__in=liaison_institution_ids(user))
    return released | own_drafts


def can_see_report(user, report):
    return (
        report.is_released
        or sees_all_draft_reports(user)
        or (report.kind == "institution" and report.institution_id in liaison_institution_ids(user))
    )


def release_sides(user, report):
    """The sides for which this user may release a ready report now."""
    if report.state != "ready":
        return set()
    return {side for side in staff_sides(user) if not report.released_on(side)}


def can_release_report(user, report):
    return bool(release_sides(user, report))


def can_retry_report(user, report):
    return report.state == "failed" and (
        can_edit_plan(user) or report.requested_by_id == getattr(user, "pk", None)
    )


# High-level meetings (meetings/)


def can_see_meetings(user):
    """Every member reads every meeting, its agenda and decisions: what they discuss is the plan,
    which every member reads (liaisons included). Their PDFs follow can_see_report."""
    return can_use_portal(user)


def can_manage_meetings(user):
    """Embassy staff and plan administrators of either side arrange meetings, edit their agenda
    and record their decisions; liaisons and officials read them."""
    return can_edit_plan(user)


def can_edit_agenda(user, meeting):
    return can_manage_meetings(user)


def can_record_decisions(user, meeting, today=None):
    """Decisions are recorded at or after the meeting, never before it."""
    return can_manage_meetings(user) and meeting.has_taken_place(today)


def can_accept_decision(user, decision, today=None):
    return decision.state == "recorded" and can_record_decisions(user, decision.meeting, today)


def can_request_meeting_documents(user, meeting):
    """Who arranges the meeting has its agenda and minutes built (released like any report)."""
    return can_manage_meetings(user)


def liaisons_by_institution():
    """{institution id: {user ids}} of every liaison, in one query, for review decisions."""
    liaisons = defaultdict(set)
    pairs = Membership.objects.filter(role=Role.LIAISON).values_list("institution_id", "user_id")
    for institution_id, user_id in pairs:
        liaisons[institution_id].add(user_id)
    return liaisons


def side_deciders(update, side, liaisons):
    """The liaisons who decide for `side`: those of its responsible institutions, less the author.

    Empty means that side's embassy staff (or administrators) decide. Reads prefetched rows.
    """
    deciders = set()
    for responsibility in update.action.responsibilities.all():
        if responsibility.side == side:
            deciders |= liaisons.get(responsibility.institution_id, set())
    deciders.discard(update.author_id)
    return deciders


def review_sides(user, update, *, liaisons=None):
    """The sides whose decision on `update` this user may record now (may be empty).

    Nobody decides on their own update. A side is decided by a liaison of one of its responsible
    institutions; where it has none (besides the author), by that side's embassy staff or plan
    administrators. `liaisons` is liaisons_by_institution(), passed in when deciding for many.
    """
    if (
        update.review_state != ProgressUpdate.ReviewState.SUBMITTED
        or not getattr(user, "is_authenticated", False)
        or user.pk == update.author_id
    ):
        return set()
    liaisons = liaisons_by_institution() if liaisons is None else liaisons
    decided = {review.side for review in update.reviews.all()}
    allowed = set()
    for side in COUNTRY_SIDES:
        if side in decided:
            continue
        deciders = side_deciders(update, side, liaisons)
        if (user.pk in deciders) if deciders else (side in staff_sides(user)):
            allowed.add(side)
    return allowed


def can_review_update(user, update):
    return bool(review_sides(user, update))


def reviewable_by(user):
    """A filter (Q) on ProgressUpdate: the updates on which `user` may decide for some side now.

    review_sides' rule, asked of the database so that a page finds a person's reviews among any
    number of waiting updates without reading them all: not the user's own update, a side not
    yet decided, and the user a liaison of one of that side's responsible institutions, or, where
    that side has no liaison but the author, the user that side's embassy staff or
    administrator.
    """
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    liaisons_on_side = Membership.objects.filter(
        role=Role.LIAISON, institution__responsibilities__action=OuterRef("action")
    )
    mine = liaison_institution_ids(user)
    may_decide = Q(pk__in=[])
    for side in COUNTRY_SIDES:
        undecided = ~Exists(Review.objects.filter(update=OuterRef("pk"), side=side))
        on_side = liaisons_on_side.filter(institution__responsibilities__side=side)
        if mine:
            may_decide |= undecided & Exists(on_side.filter(user=user))
        if side in staff_sides(user):
            may_decide |= undecided & ~Exists(on_side.exclude(user=OuterRef("author")))
    return Q(review_state=ProgressUpdate.ReviewState.SUBMITTED) & ~Q(author=user) & may_decide


def can_revise_update(user, update):
    """The author of a returned update may revise it and submit it again, as long as they may
    still post updates on its action (reads the action's prefetched responsibilities)."""
    return (
        getattr(user, "is_authenticated", False)
        and update.author_id == user.pk
        and update.review_state == ProgressUpdate.ReviewState.RETURNED
        and can_post_update(user, update.action)
    )


def responsibility_filter_for(user):
    """Filters actions to those the user's institutions are responsible for ("My actions")."""
    return Exists(
        Responsibility.objects.filter(
            action=OuterRef("pk"), institution__in=liaison_institution_ids(user)
        )
    )


def remember_memberships(users, memberships):
    """Give each user the memberships read for many users at once (with institution__country),
    so that asking these predicates about many people costs no query per person."""
    mine = defaultdict(list)
    for membership in memberships:
        mine[membership.user_id].append(membership)
    for user in users:
        user._portal_memberships = mine.get(user.pk, [])


# Each side's assessment of the actions, and the joint one (assessments/)


def assessment_sides(user):
    """The sides whose assessment of the actions this user may give: their embassy staff and
    plan administrators. A side's assessment is its government's judgement of the work its
    institutions report on, beside the status they report; liaisons of the responsible
    institutions report that status (and review updates) but do not assess their own work."""
    return staff_sides(user)


def can_assess(user, side):
    return side in assessment_sides(user)


def can_view_assessments(user):
    """Everyone at the portal reads both sides' assessments and the joint one."""
    return can_use_portal(user)


def can_propose_joint_assessment(user, *, side_assessments):
    """A plan administrator of either side proposes the joint assessment (or changes it) once
    both sides have given theirs; `side_assessments` is {side: assessment}."""
    return bool(administrator_sides(user)) and all(side_assessments.get(s) for s in COUNTRY_SIDES)


def agreement_sides(user, joint):
    """The sides for which this user may agree to the joint assessment as it stands now."""
    if joint is None or joint.is_agreed:
        return set()
    return {side for side in administrator_sides(user) if joint.agreed_on(side) is None}
