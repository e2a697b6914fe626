"""What needs me: each demo role's inbox, why each item is theirs, and what it costs."""

import html
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation

from actions import services
from actions.models import Action, Milestone, ProgressUpdate, Responsibility, Review, Status
from assessments.models import JointAssessment
from inbox.selectors import needs_me, needs_me_count
from partners.models import Membership
from plancore import permissions
from tests.roles import make_member, signed_in

State = ProgressUpdate.ReviewState


@pytest.fixture(scope="module")
def demo_plan(loaded_plan, demo_snapshot, django_db_blocker):
    """The plan with what `load_demo` adds to it, written for this module."""
    with django_db_blocker.unblock():
        demo_snapshot.restore()
    return loaded_plan


@pytest.fixture
def demo(demo_plan, db):
    return demo_plan


def person(username):
    return get_user_model().objects.get(username=username)


def sections_of(user):
    return {section.kind: section for section in needs_me(user)}


def items_of(user, kind=None):
    return [
        item
        for section in needs_me(user, limit=1000)
        for item in section.items
        if kind in (None, item.kind)
    ]


def text_of(response):
    content = re.sub(r'<span class="visually-hidden">.*?</span>', "", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def actions_of_institutions(codes):
    return set(
        Responsibility.objects.filter(institution__code__in=codes).values_list(
            "action_id", flat=True
        )
    )


# Each demo role


def test_an_official_is_told_that_nothing_waits_for_them(demo, client):
    official = person("official")
    assert needs_me_count(official) == 0
    assert all(not section.items for section in needs_me(official))
    client.force_login(official)
    page = text_of(client.get(reverse("inbox:needs_me")))
    assert "Nothing waits for you." in page


def test_a_liaison_sees_their_returned_update_with_the_comment_and_a_revise_link(demo):
    semarnat = person("liaison-semarnat")
    [item] = items_of(semarnat, "returned")
    update = ProgressUpdate.objects.get(pk=item.object_id)
    assert update.author == semarnat and update.review_state == State.RETURNED
    comment = update.reviews.get(decision=Review.Decision.RETURNED).comment
    assert item.detail == comment
    assert item.url == reverse("actions:revise", args=[update.pk])
    assert item.why == "You wrote this update; Mexico returned it (Lucía Hernández)."


def test_a_liaison_is_told_for_which_side_and_institution_they_decide(demo):
    cofepris = person("liaison-cofepris")
    [item] = items_of(cofepris, "review")
    assert item.why == "You decide for Mexico as liaison of COFEPRIS, lead on 5.2."
    assert item.url == reverse("actions:review", args=[item.object_id])


def test_embassy_staff_see_reviews_milestones_and_reports_that_fall_to_their_side(demo):
    staff = person("embassy-mx")
    sections = sections_of(staff)
    assert sections["review"].items
    assert all("as embassy staff" in item.why for item in sections["review"].items)
    assert sections["milestone"].items
    assert [item.why for item in sections["report"].items] == [
        "It waits for the release of Mexico, for which you may release it."
    ]


def test_an_administrator_gets_the_decisions_only_the_author_could_otherwise_take(demo):
    admin = person("admin")
    reviews = items_of(admin, "review")
    liaisons = permissions.liaisons_by_institution()
    authors = set()
    for item in reviews:
        update = ProgressUpdate.objects.select_related("action").get(pk=item.object_id)
        update.action = Action.objects.for_list().get(pk=update.action_id)
        assert not permissions.side_deciders(update, "DK", liaisons)  # no liaison can
        assert "You decide for Denmark as plan administrator" in item.why
        authors.add(update.author.username)
    assert "embassy-dk" in authors  # the only Danish embassy staff wrote it: it falls to admin


@pytest.mark.parametrize(
    "username",
    ["admin", "embassy-dk", "embassy-mx", "liaison-semarnat", "liaison-cofepris"],
)
def test_every_item_is_the_persons_own_and_says_why_and_since_when(demo, username):
    user = person(username)
    items = items_of(user)
    assert items
    updates = ProgressUpdate.objects.select_related("action").prefetch_related(
        "reviews",
        Prefetch("action__responsibilities", queryset=Responsibility.objects.for_actions()),
    )
    mine = permissions.liaison_institution_ids(user)
    sides = permissions.staff_sides(user)
    for item in items:
        assert item.why and item.since and item.url
        if item.kind == "review":
            assert permissions.review_sides(user, updates.get(pk=item.object_id))
        elif item.kind == "returned":
            assert updates.get(pk=item.object_id).author == user
        elif item.kind in ("milestone", "stale"):
            responsible = Responsibility.objects.filter(action_id=item.action_id)
            assert (
                responsible.filter(institution__in=mine).exists()
                or responsible.filter(side__in=sides).exists()
            )


@pytest.mark.parametrize(
    "username",
    ["admin", "embassy-dk", "embassy-mx", "liaison-semarnat", "liaison-cofepris", "official"],
)
def test_the_header_count_is_the_number_of_items(demo, username):
    user = person(username)
    assert needs_me_count(user) == sum(section.total for section in needs_me(user, limit=1000))


# Nobody sees another's items


def test_a_senasica_liaison_sees_nothing_of_semarnats_actions(demo):
    senasica = make_member(Membership.Role.LIAISON, "senasica", first_name="Ana")
    semarnat_only = actions_of_institutions(["semarnat"]) - actions_of_institutions(["senasica"])
    action = Action.objects.filter(pk__in=semarnat_only).for_list().first()
    today = timezone.localdate()
    Milestone.objects.create(
        action=action, title="Overdue", start_date=date(2024, 1, 1), due_date=today - timedelta(1)
    )
    services.submit_update(
        action=action,
        author=person("embassy-dk"),
        status=Status.ON_TRACK,
        progress=10,
        narrative="Waiting for SEMARNAT.",
    )
    items = items_of(senasica)
    assert not {item.action_id for item in items} & semarnat_only
    assert all(item.action_id in actions_of_institutions(["senasica"]) for item in items)
    semarnat_items = items_of(person("liaison-semarnat"))
    assert action.pk in {item.action_id for item in semarnat_items}


def test_nobody_sees_another_persons_returned_updates(demo):
    returned = ProgressUpdate.objects.filter(review_state=State.RETURNED)
    for user in get_user_model().objects.all():
        for item in items_of(user, "returned"):
            assert returned.get(pk=item.object_id).author == user


# The page and the header


def test_the_page_lists_each_section_with_its_links(demo, client):
    client.force_login(person("embassy-dk"))
    response = client.get(reverse("inbox:needs_me"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Your updates that were returned" in page
    assert "Reports waiting for your side's release" in page
    assert "Since" in page
    for section in response.context["sections"]:
        for item in section.items:
            assert item.url in response.content.decode()


def test_every_page_header_shows_the_count(demo, client):
    user = person("embassy-mx")
    client.force_login(user)
    page = text_of(client.get(reverse("dashboard")))
    count = needs_me_count(user)
    assert count > 0
    assert f"What needs me ({count})" in page


def test_the_header_count_costs_one_query_besides_the_memberships(demo, django_assert_num_queries):
    user = person("embassy-dk")
    permissions.roles(user)  # as the navigation has read them already
    with django_assert_num_queries(1):
        needs_me_count(user)


def test_an_approved_update_that_supersedes_another_takes_it_off_the_inbox(demo):
    """Superseded updates leave the review items of the people who would have decided."""
    waiting = ProgressUpdate.objects.filter(review_state=State.SUBMITTED).order_by("submitted_at")
    update = waiting.first()
    newer = services.submit_update(
        action=update.action,
        author=update.author,
        status=Status.ON_TRACK,
        progress=update.progress,
        narrative="A newer account.",
    )
    newer = ProgressUpdate.objects.select_related("action").get(pk=newer.pk)
    newer.action = Action.objects.for_list().get(pk=newer.action_id)
    deciders = {}
    for user in get_user_model().objects.all():
        for side in permissions.review_sides(user, newer):
            deciders.setdefault(side, user)
    for side, user in sorted(deciders.items()):
        services.review_update(
            update=newer, reviewer=user, side=side, decision=Review.Decision.APPROVED
        )
    update.refresh_from_db()
    assert update.review_state == State.SUPERSEDED
    for user in get_user_model().objects.all():
        assert update.pk not in {item.object_id for item in items_of(user, "review")}


def test_only_pages_that_show_the_header_count_compute_it(demo, client, monkeypatch):
    from inbox.templatetags import inbox as tags

    calls = []
    counted = tags.count_for
    monkeypatch.setattr(tags, "count_for", lambda user: calls.append(user) or counted(user))
    client.force_login(person("embassy-dk"))
    client.get(reverse("dashboard"))
    assert len(calls) == 1
    client.get(reverse("reporting:status"))
    b"".join(client.get(reverse("actions:export_csv")).streaming_content)
    assert len(calls) == 1


def test_the_inbox_speaks_spanish(demo, client):
    client.force_login(person("liaison-semarnat"))
    with translation.override("en"):  # the request switches to Spanish; back to English after
        page = text_of(client.get(reverse("inbox:needs_me"), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Lo que me espera" in page
    assert "Sus actualizaciones devueltas" in page
    assert "Corregir y reenviar" in page


def test_the_header_count_is_kept_and_follows_a_decision_at_once(demo, django_assert_num_queries):
    user = person("embassy-mx")
    permissions.roles(user)
    before = needs_me_count(user)
    with django_assert_num_queries(0):
        assert needs_me_count(user) == before  # kept: the next page reads no database for it
    review = items_of(user, "review")[0]
    update = ProgressUpdate.objects.get(pk=review.object_id)
    update.action = Action.objects.for_list().get(pk=update.action_id)
    (side,) = permissions.review_sides(user, update)
    services.review_update(
        update=update, reviewer=user, side=side, decision=Review.Decision.APPROVED
    )
    assert needs_me_count(user) == before - 1


def test_the_inbox_is_kept_and_follows_a_new_milestone_at_once(demo, django_assert_num_queries):
    user = person("embassy-mx")
    permissions.roles(user)
    before = items_of(user, "milestone")
    with django_assert_num_queries(0):
        assert items_of(user, "milestone") == before
    action = Action.objects.get(pk=items_of(user, "review")[0].action_id)
    today = timezone.localdate()
    services.add_milestone(
        action=action,
        user=person("admin"),
        title="Signed minutes circulated",
        start_date=today - timedelta(days=10),
        due_date=today + timedelta(days=3),
    )
    titles = [item.title for item in items_of(user, "milestone")]
    assert any("Signed minutes circulated" in title for title in titles)


# Decisions on the plan: amendments and joint assessments


def test_a_plan_administrator_is_told_what_waits_for_their_sides_decision(demo):
    """The demo's amendment was approved by Denmark and its joint assessment proposed for
    Denmark: both wait for Mexico's plan administrator, and for nobody else."""
    admin_mx = person("admin-mx")
    [amendment] = items_of(admin_mx, "amendment")
    assert amendment.url == reverse("amendments:detail", args=[amendment.object_id])
    assert amendment.title.startswith("Amendment 2: New action in chapter 5")
    assert amendment.why == (
        "Mikkel Sørensen proposed it for Denmark. Denmark approved it. "
        "You decide for Mexico as plan administrator."
    )
    [joint] = items_of(admin_mx, "joint")
    assert joint.why == (
        "Astrid Holm proposed it for Denmark. You agree for Mexico as plan administrator."
    )
    assert joint.detail.startswith("Proposed: ")
    proposed = JointAssessment.objects.get(pk=joint.object_id)
    assert joint.url == reverse("assessments:action", args=[proposed.period, proposed.action_id])

    for username in ("admin", "embassy-dk", "embassy-mx", "liaison-cofepris", "official"):
        assert not items_of(person(username), "amendment"), username
        assert not items_of(person(username), "joint"), username


def test_an_amendment_leaves_the_inbox_once_the_side_decided_and_the_count_follows(demo):
    from amendments import services as amendments

    admin_mx = person("admin-mx")
    permissions.roles(admin_mx)
    before = needs_me_count(admin_mx)
    [item] = items_of(admin_mx, "amendment")
    amendment = amendments.Amendment.objects.get(pk=item.object_id)
    amendments.reject_amendment(amendment=amendment, user=admin_mx, comment="Not this year.")
    assert items_of(admin_mx, "amendment") == []
    assert needs_me_count(admin_mx) == before - 1

    proposed = amendments.propose_amendment(
        proposer=person("embassy-mx"),
        kind="target_date",
        action=Action.objects.get(number="6.6"),
        reason="The harvest season moved the field visits.",
        target_date=date(2028, 3, 31),
    )
    assert [i.object_id for i in items_of(admin_mx, "amendment")] == [proposed.pk]
    assert [i.object_id for i in items_of(person("admin"), "amendment")] == [proposed.pk]
    assert needs_me_count(admin_mx) == before


def test_a_joint_assessment_leaves_the_inbox_once_agreed(demo):
    from assessments import services as assessments

    admin_mx = person("admin-mx")
    [item] = items_of(admin_mx, "joint")
    joint = assessments.JointAssessment.objects.get(pk=item.object_id)
    assessments.agree_joint_assessment(
        joint=joint, user=admin_mx, side="MX", expected_version=joint.version
    )
    assert items_of(admin_mx, "joint") == []


def test_the_page_lists_each_decision_in_both_languages(demo, client):
    signed_in(client, person("admin-mx"))
    page = text_of(client.get(reverse("inbox:needs_me")))
    assert "Amendments waiting for your side's decision (1)" in page
    assert "Joint assessments waiting for your side's agreement (1)" in page
    with translation.override("en"):
        page = text_of(client.get(reverse("inbox:needs_me"), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Enmiendas que esperan la decisión de su parte (1)" in page
    assert "Evaluaciones conjuntas que esperan el acuerdo de su parte (1)" in page


def test_an_amendment_of_several_paragraphs_is_one_short_line_in_the_inbox(demo):
    from amendments import services as amendments

    amendments.propose_amendment(
        proposer=person("embassy-dk"),
        kind="text",
        action=Action.objects.get(number="6.6"),
        reason="The agencies agreed a wider scope.",
        text_en="First paragraph of the new text.\r\n\r\n" + "Second paragraph. " * 20,
        text_es="Primer párrafo del nuevo texto.\r\n\r\n" + "Segundo párrafo. " * 20,
    )
    titles = [item.title for item in items_of(person("admin-mx"), "amendment")]
    [title] = [t for t in titles if "First paragraph" in t]
    assert "\n" not in title and len(title) < 160
    assert title.endswith("…")
