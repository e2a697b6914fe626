"""What people write records its language; who may edit it may add the other language; a reader
sees which one they are reading."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actions import services
from actions.models import Milestone, ProgressUpdate, Review
from partners.models import Side
from plancore import permissions
from tests.roles import action_in, database_state, make_demo_user, signed_in

NARRATIVE_ES = "Se celebraron dos talleres con ambas agencias."
NARRATIVE_EN = "Two workshops were held with both agencies."


@pytest.fixture
def people(plan):
    return {
        "author": make_demo_user("liaison_cofepris", first_name="Mariana", last_name="Torres"),
        "embassy_dk": make_demo_user("embassy_dk", first_name="Søren", last_name="Holm"),
        "liaison_semarnat": make_demo_user("liaison_semarnat"),
        "official": make_demo_user("official"),
    }


@pytest.fixture
def spanish_update(plan, people):
    with translation.override("es"):
        return services.submit_update(
            action=action_in(plan, "5.2"),
            author=people["author"],
            status="on_track",
            progress=30,
            narrative=NARRATIVE_ES,
        )


def as_user(user):
    return signed_in(Client(), user)


def test_a_narrative_records_the_language_its_author_wrote_it_in(spanish_update, plan, people):
    assert spanish_update.language == "es"
    english = services.submit_update(
        action=action_in(plan, "5.2"),
        author=people["author"],
        status="on_track",
        progress=30,
        narrative=NARRATIVE_EN,
    )
    assert english.language == "en"


def test_a_danish_interface_writes_in_english(plan, people):
    with translation.override("da"):
        update = services.submit_update(
            action=action_in(plan, "5.2"),
            author=people["author"],
            status="on_track",
            progress=30,
            narrative=NARRATIVE_EN,
        )
    assert update.language == "en"


def test_a_review_comment_records_its_language(spanish_update, people):
    with translation.override("es"):
        review = services.review_update(
            update=spanish_update,
            reviewer=people["embassy_dk"],
            side=Side.DK,
            decision=Review.Decision.RETURNED,
            comment="Favor de adjuntar la minuta.",
        )
    assert review.language == "es"


def test_a_milestone_title_is_kept_in_the_language_it_was_written_in(plan, people):
    with translation.override("es"):
        milestone = services.add_milestone(
            action=action_in(plan, "5.2"),
            user=people["embassy_dk"],
            title="Primer taller conjunto",
            start_date=date(2024, 1, 10),
            due_date=date(2024, 6, 30),
        )
    milestone.refresh_from_db()
    assert (milestone.language, milestone.title_es, milestone.title_en) == (
        "es",
        "Primer taller conjunto",
        None,
    )
    with translation.override("en"):
        assert milestone.title == "Primer taller conjunto"  # never blank: the text as written


def test_whoever_may_post_updates_may_translate_one_and_the_reader_sees_it_is_translated(
    spanish_update, people
):
    services.translate_update(update=spanish_update, user=people["embassy_dk"], text=NARRATIVE_EN)
    action = spanish_update.action

    english = as_user(people["official"]).get(
        reverse("actions:detail", args=[action.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = english.content.decode()
    assert f'<p lang="en">{NARRATIVE_EN}</p>' in html
    assert "Translated into English by Søren Holm" in html

    spanish = as_user(people["official"]).get(
        reverse("actions:detail", args=[action.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert f'<p lang="es">{NARRATIVE_ES}</p>' in spanish.content.decode()


def test_an_untranslated_narrative_says_which_language_it_is_written_in(spanish_update, people):
    response = as_user(people["official"]).get(
        reverse("actions:detail", args=[spanish_update.action_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert f'<p lang="es">{NARRATIVE_ES}</p>' in html
    assert "Written in Spanish" in html


def test_the_translate_page_saves_the_translation(spanish_update, people):
    client = as_user(people["author"])
    url = reverse("actions:translate_update", args=[spanish_update.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"text": NARRATIVE_EN})

    assert response.status_code == 302
    spanish_update.refresh_from_db()
    assert spanish_update.narrative_translation == NARRATIVE_EN
    assert spanish_update.translated_by == people["author"]
    assert spanish_update.history.latest("history_date").narrative_translation == NARRATIVE_EN


def test_an_empty_translation_is_refused_with_a_message_and_changes_nothing(spanish_update, people):
    before = database_state()
    response = as_user(people["author"]).post(
        reverse("actions:translate_update", args=[spanish_update.pk]), {"text": "   "}
    )
    assert response.status_code == 400
    assert database_state() == before


@pytest.mark.parametrize("who", ["official", "liaison_semarnat"])
def test_who_may_not_post_updates_on_the_action_may_not_translate_one(spanish_update, people, who):
    user = people[who]
    assert not permissions.can_translate_update(user, spanish_update)
    before = database_state()

    response = as_user(user).post(
        reverse("actions:translate_update", args=[spanish_update.pk]), {"text": NARRATIVE_EN}
    )

    assert response.status_code == 403
    assert database_state() == before


def test_revising_a_returned_update_drops_the_translation_of_the_earlier_narrative(
    spanish_update, people
):
    services.translate_update(update=spanish_update, user=people["embassy_dk"], text="Old.")
    services.review_update(
        update=spanish_update,
        reviewer=people["embassy_dk"],
        side=Side.DK,
        decision=Review.Decision.RETURNED,
        comment="Please attach the minutes.",
    )
    action = spanish_update.action
    action.refresh_from_db()
    _action, update = services.resubmit_update(
        update=spanish_update,
        author=people["author"],
        status="on_track",
        progress=35,
        narrative=NARRATIVE_EN,
        expected_version=action.version,
    )
    assert (update.language, update.narrative_translation, update.translated_by) == ("en", "", None)
    assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED


@pytest.fixture
def milestone(plan, people):
    return services.add_milestone(
        action=action_in(plan, "5.2"),
        user=people["embassy_dk"],
        title="First joint workshop",
        start_date=date(2024, 1, 10),
        due_date=date(2024, 6, 30),
    )


def test_embassy_staff_add_a_milestones_spanish_title_and_spanish_readers_see_it(milestone, people):
    client = as_user(people["embassy_dk"])
    response = client.post(
        reverse("actions:translate_milestone", args=[milestone.pk]),
        {"text": "Primer taller conjunto", "version": milestone.version},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title_en, milestone.title_es) == (
        "First joint workshop",
        "Primer taller conjunto",
    )

    html = client.get(
        reverse("actions:detail", args=[milestone.action_id]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert '<span lang="es">Primer taller conjunto</span>' in html
    assert "Søren Holm" in html


def test_a_milestone_without_spanish_title_shows_its_english_title_marked(milestone, people):
    html = (
        as_user(people["official"])
        .get(reverse("actions:detail", args=[milestone.action_id]), HTTP_ACCEPT_LANGUAGE="es")
        .content.decode()
    )
    assert '<span lang="en">First joint workshop</span> <span class="written-in">' in html


def test_editing_a_milestone_in_spanish_leaves_its_english_title_alone(milestone, people):
    services.translate_milestone(
        milestone=milestone, user=people["embassy_dk"], title="Primer taller", expected_version=1
    )
    with translation.override("es"):
        services.edit_milestone(
            milestone=milestone,
            user=people["embassy_dk"],
            title="Primer taller conjunto",
            start_date=date(2024, 1, 10),
            due_date=date(2024, 7, 31),
            expected_version=2,
        )
    milestone.refresh_from_db()
    assert (milestone.title_en, milestone.title_es) == (
        "First joint workshop",
        "Primer taller conjunto",
    )


def test_a_liaison_may_not_translate_a_milestone(milestone, plan):
    liaison = make_demo_user("liaison_cofepris")
    assert not permissions.can_translate_milestone(liaison, milestone)
    before = database_state()
    response = as_user(liaison).post(
        reverse("actions:translate_milestone", args=[milestone.pk]),
        {"text": "Primer taller conjunto", "version": milestone.version},
    )
    assert response.status_code == 403
    assert database_state() == before
    assert Milestone.objects.get(pk=milestone.pk).title_es is None


def test_a_return_comment_in_the_other_language_says_which_language_it_is_in(
    spanish_update, people
):
    with translation.override("es"):
        services.review_update(
            update=spanish_update,
            reviewer=people["embassy_dk"],
            side=Side.DK,
            decision=Review.Decision.RETURNED,
            comment="Favor de adjuntar la minuta.",
        )
    url = reverse("actions:detail", args=[spanish_update.action_id])
    client = as_user(people["official"])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Favor de adjuntar la minuta.”" in english
    assert '“Favor de adjuntar la minuta.” <span class="written-in">(Written in Spanish)' in english
    assert '<span class="written-in">(Written in Spanish)' not in spanish.split("side-states")[1]
