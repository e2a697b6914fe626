"""Reports read the plan as amended from the moment an amendment came into force, and list the
amendments of their period in an annex."""

import io
from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import translation
from docx import Document

from amendments import services
from reporting.content import build_content, plan_as_of
from reporting.docx import docx_versions
from reporting.periods import Period, end_of_day
from reporting.rendering import report_content
from tests.amendments.conftest import (
    MX_APPROVED,
    PROPOSED,
    approve_both,
    propose_target_date,
    propose_text,
)
from tests.roles import action_in

DAY_BEFORE = MX_APPROVED.date() - timedelta(days=1)
DAY_AFTER = MX_APPROVED.date() + timedelta(days=1)


def title_in(content, number):
    return next(b.title for c in content["chapters"] for b in c.actions if b.number == number)


def propose_title(action, proposer):
    return services.propose_amendment(
        proposer=proposer,
        kind="title",
        action=action,
        reason="A clearer title.",
        title_en="Inspections of medicines",
        title_es="Inspecciones de medicamentos",
        at=PROPOSED,
    )


def test_a_report_as_of_the_day_before_shows_the_old_title_and_after_the_new(plan, people, action):
    signed = action.short_title_en
    approve_both(propose_title(action, people.embassy_dk), people)

    before = build_content(plan=plan, kind="annual", period=Period(2025), today=DAY_BEFORE)
    after = build_content(plan=plan, kind="annual", period=Period(2025), today=DAY_AFTER)

    assert title_in(before, "5.2") == signed
    assert title_in(after, "5.2") == "Inspections of medicines"


def test_the_plan_as_of_the_day_before_has_the_old_text_and_after_the_new(plan, people, action):
    signed = action.text_en
    approve_both(propose_text(action, people.embassy_dk), people)

    before = plan_as_of(plan=plan, moment=end_of_day(DAY_BEFORE)).actions[action.pk]
    after = plan_as_of(plan=plan, moment=end_of_day(DAY_AFTER)).actions[action.pk]

    assert before.text_en == signed
    assert after.text_en == "Denmark and Mexico will exchange inspection reports."
    assert after.text_es == "Dinamarca y México intercambiarán informes de inspección."


def test_the_annex_lists_the_amendments_in_force_in_the_period(plan, people, action):
    approve_both(propose_target_date(action, people.embassy_mx), people)
    propose_target_date(action_in(plan, "6.6"), people.embassy_dk)

    annex = build_content(plan=plan, kind="quarterly", period=Period(2025, 1))["amendments_annex"]

    assert [(line.number, line.action, line.in_force_on) for line in annex] == [
        (1, "5.2", MX_APPROVED.date())
    ]
    assert annex[0].reason == "The regulatory reform was postponed by a year."


def test_an_amendment_is_not_in_the_annex_of_an_earlier_or_later_period(plan, people, action):
    approve_both(propose_target_date(action, people.embassy_mx), people)

    for period in (Period(2024), Period(2025, 2)):
        content = build_content(plan=plan, kind="quarterly", period=period)
        assert content["amendments_annex"] == []


def test_a_chapter_report_lists_only_its_chapters_amendments(plan, people, action):
    approve_both(propose_target_date(action, people.embassy_mx), people)
    other_chapter = action_in(plan, "6.6").chapter

    content = build_content(plan=plan, kind="chapter", period=Period(2025), chapter=other_chapter)

    assert content["amendments_annex"] == []


def test_the_report_shows_the_annex_in_spanish(plan, people, action):
    approve_both(propose_target_date(action, people.embassy_mx), people)

    with translation.override("es"):
        content = build_content(plan=plan, kind="annual", period=Period(2025))
        html = render_to_string("reporting/report.html", content | {"title": "", "language": "es"})

    assert "Anexo C: Enmiendas del periodo" in html
    assert "Enmienda 1" in html


def test_the_editable_docx_carries_the_annex_too(plan, people, action):
    approve_both(propose_target_date(action, people.embassy_mx), people)
    content = report_content(plan=plan, kind="annual", year=2025, language="es")

    clean, _draft = docx_versions(content)

    text = "\n".join(p.text for p in Document(io.BytesIO(clean)).paragraphs)
    assert "Anexo C: Enmiendas del periodo" in text
    assert "Enmienda 1, en vigor desde" in text
    assert "Motivo:" in text
