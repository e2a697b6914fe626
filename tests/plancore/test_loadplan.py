import json
import re
import shutil
from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actions.models import Action, Milestone, ProgressUpdate, Responsibility
from partners.models import Agreement, Institution, Membership, Side
from plancore.models import Chapter, Plan, SustainableDevelopmentGoal
from plancore.seeding.plan import load_plan

LOADED_WITH_HISTORY = [Plan, Chapter, Institution, Agreement, Action, Responsibility]
HISTORY_MODELS = LOADED_WITH_HISTORY + [Milestone, ProgressUpdate, Membership]


def history_rows():
    return sum(model.history.count() for model in HISTORY_MODELS)


def source_text():
    """The signed plan as received, with markup and line breaks folded away."""
    raw = (settings.PLAN_FIXTURES_DIR / "sources" / "jsap-2023-2027.md").read_text()
    return re.sub(r"\s+", " ", raw.replace("*", ""))


def test_plan_carries_its_signing_and_parties(plan):
    assert plan.title == "Joint Strategic Action Plan 2023–2027"
    assert plan.signed_on == date(2023, 8, 9)
    assert plan.signed_at == "Mexico City"
    assert sorted(plan.parties.values_list("code", flat=True)) == ["DK", "MX"]
    assert {s["name"] for s in plan.signatories} == {
        "Kim Højlund Christensen",
        "Carmen Moreno Toscano",
    }
    assert plan.preamble.startswith("When Denmark and Mexico established diplomatic relations")


def test_plan_has_its_eight_chapters_with_titles(plan):
    assert list(Chapter.objects.filter(plan=plan).values_list("number", "title")) == [
        (1, "Contents"),
        (2, "Preamble"),
        (3, "Political dialogue"),
        (4, "Trade and Investment"),
        (5, "Health"),
        (6, "Climate change, environment and energy"),
        (7, "Food and Agriculture"),
        (8, "Culture, Science, Technology and Innovation"),
    ]


def test_chapters_3_to_8_carry_their_background(plan):
    backgrounds = dict(plan.chapters.values_list("number", "background"))
    assert all(backgrounds[n] for n in range(3, 9))
    assert "35% by 2030" in backgrounds[6]


def test_plan_has_35_actions_as_counted_in_the_document(plan):
    per_chapter = {
        n: Action.objects.filter(chapter__plan=plan, chapter__number=n).count() for n in range(1, 9)
    }
    assert per_chapter == {1: 0, 2: 0, 3: 7, 4: 5, 5: 4, 6: 8, 7: 5, 8: 6}


def test_actions_are_numbered_chapter_dot_position(plan):
    numbers = list(Action.objects.in_plan(plan).values_list("number", flat=True))
    assert numbers[:8] == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "4.1"]
    assert numbers[-1] == "8.6"


def test_every_action_text_is_verbatim_from_the_signed_plan(plan):
    source = source_text()
    for number, text in Action.objects.in_plan(plan).values_list("number", "text"):
        assert len(text) > 40, number
        assert text in source, f"action {number} is not verbatim"


def test_bullets_split_by_a_blank_line_are_separate_actions(plan):
    assert Action.objects.get(number="3.6").text.startswith("Create an open dialogue")
    assert Action.objects.get(number="8.5").text == (
        "Share know-how, organizational engineering and best practices regarding the "
        "innovative Danish approach on technological diplomacy also known as “TechPlomacy”."
    )


@pytest.mark.parametrize(
    "acronym_or_name",
    [
        "SEMARNAT",
        "SENASICA",
        "COFEPRIS",
        "DKMA",
        "IFU",
        "EIFO",
        "DIHR",
        "WHO",
        "WTO",
        "OECD",
        "C40",
        "Danida Fellowship Centre",
        "Danish Parliamentary Ombudsman",
        "Danish Ministry of Food, Agriculture and Fisheries",
        "Secretariat of Health of Mexico",
        "Copenhagen",
        "Mexico City",
        "Guadalajara",
    ],
)
def test_every_institution_the_documents_name_is_loaded(plan, acronym_or_name):
    assert Institution.objects.filter(acronym=acronym_or_name).exists() or (
        Institution.objects.filter(name=acronym_or_name).exists()
    )


def test_legislatures_of_both_countries_are_loaded(plan):
    legislatures = Institution.objects.filter(kind=Institution.Kind.LEGISLATURE)
    assert {i.side for i in legislatures} == {Side.DK, Side.MX}


def test_cofepris_sits_under_mexicos_secretariat_of_health(plan):
    cofepris = Institution.objects.get(acronym="COFEPRIS")
    assert cofepris.parent.name == "Secretariat of Health of Mexico"
    assert cofepris.side == Side.MX


def test_multilateral_bodies_have_no_country(plan):
    assert Institution.objects.get(acronym="WHO").side == Side.MULTILATERAL


def test_every_action_has_a_danish_and_a_mexican_lead(plan):
    for action in Action.objects.in_plan(plan).for_list():
        assert action.lead_on(Side.DK).country.code == "DK", action.number
        assert action.lead_on(Side.MX).country.code == "MX", action.number


def test_named_institutions_lead_their_actions(plan):
    assert Action.objects.get(number="5.2").lead_on(Side.DK).acronym == "DKMA"
    assert Action.objects.get(number="5.2").lead_on(Side.MX).acronym == "COFEPRIS"
    assert Action.objects.get(number="7.1").lead_on(Side.MX).acronym == "SENASICA"
    assert Action.objects.get(number="6.6").lead_on(Side.MX).acronym == "SEMARNAT"


def test_foreign_ministries_lead_where_the_text_names_nobody(plan):
    action = Action.objects.get(number="3.1")
    assert action.lead_on(Side.DK).code == "mfa-dk"
    assert action.lead_on(Side.MX).code == "sre"


def test_responsibility_sides_follow_the_institutions_country(plan):
    for responsibility in Responsibility.objects.select_related("institution__country"):
        assert responsibility.side == responsibility.institution.side


def test_health_mou_of_2013_with_its_extensions(plan):
    mou = Agreement.objects.get(code="health-mou-2013")
    assert mou.signed_display == "2013"
    assert [e.extended_display for e in mou.extensions.all()] == ["2018", "2023"]
    assert "5.1" in set(mou.actions.values_list("number", flat=True))


def test_primary_health_care_agreement_is_in_the_frame_of_the_mou(plan):
    agreement = Agreement.objects.get(code="phc-agreement-2021")
    assert agreement.parent.code == "health-mou-2013"
    assert agreement.signed_on.year == 2021


def test_dihr_mou_carries_objectives_and_commitments(plan):
    mou = Agreement.objects.get(code="dihr-mou-2016")
    assert mou.signed_display == "April 2016"
    assert len(mou.objectives) >= 5
    assert any("consultation" in c for c in mou.commitments)
    assert set(mou.parties.values_list("acronym", flat=True)) >= {"DIHR", "SRE"}
    assert mou.actions.exists()


def test_depp_and_the_2017_joint_statement_are_linked_to_their_actions(plan):
    depp = Agreement.objects.get(code="depp")
    assert "6.6" in set(depp.actions.values_list("number", flat=True))
    statement = Agreement.objects.get(code="joint-statement-2017")
    assert statement.signed_on.year == 2017
    assert statement.actions.exists()


def test_the_17_sdgs_are_loaded_and_tagged(plan):
    assert list(SustainableDevelopmentGoal.objects.values_list("number", flat=True)) == list(
        range(1, 18)
    )
    assert SustainableDevelopmentGoal.objects.get(number=5).name == "Gender equality"
    gender_actions = set(Action.objects.filter(sdgs__number=5).values_list("number", flat=True))
    assert {"3.6", "3.7"} <= gender_actions
    assert all(a.sdgs.exists() for a in Action.objects.in_plan(plan))


def test_first_history_row_is_dated_at_the_signing(plan):
    signing = datetime(2023, 8, 9, 12, tzinfo=UTC)
    for model in LOADED_WITH_HISTORY:
        assert model.history.count() == model.objects.count() > 0, model.__name__
        dates = set(model.history.values_list("history_date", flat=True))
        assert dates == {signing}, model.__name__
    action = Action.objects.get(number="6.6")
    assert action.history.earliest("history_date").history_change_reason == (
        "Loaded from the signed plan"
    )


def test_actions_start_at_the_signing_and_target_the_plans_end(plan):
    action = Action.objects.get(number="4.5")
    assert (action.start_date, action.target_date) == (date(2023, 8, 9), date(2027, 12, 31))
    assert (action.status, action.progress, action.version) == ("not_started", 0, 1)


def test_loading_again_changes_nothing_and_adds_no_history(plan, plan_fixtures_dir):
    rows_before = history_rows()
    actions_before = list(Action.objects.values_list("pk", "version", "text"))

    result = load_plan(plan_fixtures_dir)

    assert result.summary() == "The plan is already loaded; nothing changed."
    assert history_rows() == rows_before
    assert list(Action.objects.values_list("pk", "version", "text")) == actions_before


def test_a_corrected_fixture_is_saved_as_a_dated_change(plan, plan_fixtures_dir, tmp_path):
    corrected = tmp_path / "plan"
    shutil.copytree(plan_fixtures_dir, corrected)
    data = json.loads((corrected / "jsap-2023-2027.json").read_text())
    data["chapters"][2]["actions"][0]["short_title"] = "Regular high-level consultations"
    (corrected / "jsap-2023-2027.json").write_text(json.dumps(data))

    load_plan(corrected)

    action = Action.objects.get(number="3.1")
    assert action.short_title == "Regular high-level consultations"
    assert action.version == 2
    latest = action.history.latest("history_date")
    assert latest.history_change_reason == "Corrected from the plan's source documents"
    assert latest.history_date.year >= 2026


def test_loadplan_without_demo_creates_no_users(plan):
    call_command("loadplan", verbosity=0)
    assert Action.objects.count() == 35
    assert not get_user_model().objects.exists()
    assert not ProgressUpdate.objects.exists()
    assert not Milestone.objects.exists()
