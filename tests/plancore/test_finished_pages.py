"""Pages that read as finished: labels without colons, an error summary that names and links every
field, no "---------" choices, menus with only what the role can use, no internal values, and
chapter lists without the signed text's "1. Contents"."""

import re

import pytest
from django.urls import reverse

from actions.models import Status
from plancore.models import Chapter
from tests.actions.test_views import status_post, text_of, update_url
from tests.roles import action_in, make_demo_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, plan):
    return signed_in(
        client, make_demo_user("embassy_dk", first_name="Mikkel", last_name="Sørensen")
    )


def labels_of(response):
    return re.findall(r"<label[^>]*>([^<]*)</label>", response.content.decode())


def test_update_form_labels_have_no_trailing_colon(client, staff, plan):
    response = client.get(update_url(action_in(plan, "5.2")))

    labels = [label.strip() for label in labels_of(response) if label.strip()]
    assert "Progress (%)" in labels
    assert not [label for label in labels if label.endswith(":")]


def test_update_form_offers_the_status_as_radio_buttons(client, staff, plan):
    page = client.get(update_url(action_in(plan, "5.2"))).content.decode()

    assert page.count('type="radio" name="status"') == len(Status.choices)
    assert "<legend>Status</legend>" in page


def test_evidence_file_input_says_what_it_takes(client, staff, plan, settings):
    page = client.get(update_url(action_in(plan, "5.2"))).content.decode()

    accepted = re.search(r'<input type="file" name="evidence_file"[^>]*accept="([^"]+)"', page)
    assert accepted, "the file input names the files it takes"
    assert accepted.group(1).split(",") == [f".{e}" for e in settings.EVIDENCE_EXTENSIONS]
    assert "PDF, office document, image or CSV" in page
    # The hint is drawn in the reader's language, not in the language the server started in.
    spanish = client.get(update_url(action_in(plan, "5.2")), HTTP_ACCEPT_LANGUAGE="es")
    assert "PDF, documento de oficina, imagen o CSV; como máximo" in spanish.content.decode()


def test_error_summary_links_each_wrong_field(client, staff, plan):
    action = action_in(plan, "5.2")
    response = client.post(update_url(action), status_post(1, progress="150", narrative=" "))

    assert response.status_code == 400
    page = response.content.decode()
    summary = page[
        page.index('class="error-summary"') : page.index("</ul>", page.index("error-summary-list"))
    ]
    assert "There is a problem" in summary
    assert 'href="#id_progress"' in summary
    assert 'href="#id_narrative"' in summary
    assert 'id="id_progress"' in page and 'id="id_narrative"' in page


def test_error_summary_links_a_radio_field_to_its_first_button(client, staff, plan):
    response = client.post(update_url(action_in(plan, "5.2")), status_post(1, status="bogus"))

    page = response.content.decode()
    assert 'href="#id_status_0"' in page
    assert 'id="id_status_0"' in page


@pytest.mark.parametrize(
    "url_of",
    [
        lambda action: reverse("actions:milestone_add", args=[action.pk]),
        lambda action: reverse("reporting:list"),
        lambda action: reverse("actions:list"),
    ],
    ids=["milestone form", "report request form", "action filters"],
)
def test_no_choice_reads_as_dashes(client, staff, plan, url_of):
    page = client.get(url_of(action_in(plan, "5.2"))).content.decode()

    assert "<select" in page
    assert "---------" not in page


def test_milestone_form_names_sides_not_their_codes(client, staff, plan):
    page = client.get(
        reverse("actions:milestone_add", args=[action_in(plan, "5.2").pk])
    ).content.decode()

    assert "COFEPRIS (Mexico)" in page
    assert "(MX)" not in page


def test_conflict_page_shows_the_status_label_not_its_value(client, staff, plan):
    action = action_in(plan, "5.2")
    assert client.post(update_url(action), status_post(1)).status_code == 302

    response = client.post(update_url(action), status_post(1, status=Status.AT_RISK))

    assert response.status_code == 409
    text = text_of(response)
    assert "Your change Status At risk" in text
    assert "at_risk" not in text


def nav_links(client):
    page = client.get(reverse("dashboard")).content.decode()
    nav = page[page.index('class="main-nav"') : page.index("</nav>")]
    return re.findall(r'<a href="[^"]*"[^>]*>([^<]+)', nav)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "official",
            {"Dashboard", "What needs me", "Actions", "Reports", "The plan", "Institutions"},
        ),
        (
            "liaison_cofepris",
            {
                "Dashboard",
                "What needs me",
                "Actions",
                "My actions",
                "Reviews",
                "My updates",
                "Reports",
                "The plan",
                "Institutions",
            },
        ),
        (
            "embassy_dk",
            {
                "Dashboard",
                "What needs me",
                "Actions",
                "Reviews",
                "My updates",
                "Reports",
                "The plan",
                "Institutions",
            },
        ),
    ],
)
def test_menu_shows_each_role_what_it_can_use(client, plan, role, expected):
    signed_in(client, make_demo_user(role))

    # Every member reads the assessments, the meetings and the amendments (in force, at least).
    shared = {"Assessments", "Meetings", "Amendments"}
    assert {link.strip() for link in nav_links(client)} == expected | shared


def test_plan_overview_lists_only_chapters_with_actions(client, staff, plan):
    text = text_of(client.get(reverse("plan_overview")))

    assert "1. Contents" not in text
    assert "3. Political dialogue" in text


def test_contents_and_preamble_are_chapters_without_actions(plan):
    with_actions = set(
        Chapter.objects.filter(plan=plan).with_actions().values_list("number", flat=True)
    )

    assert with_actions == {3, 4, 5, 6, 7, 8}
    assert Chapter.objects.filter(plan=plan, number=1, title="Contents").exists()
