from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.models import Institution
from plancore.models import Plan
from reporting.models import MEETING_KINDS, REPORT_LANGUAGES, Report
from reporting.rendering import render_pdf

PERIOD_KINDS = [kind for kind in Report.Kind.values if kind not in MEETING_KINDS]


class Command(BaseCommand):
    help = (
        "Build one report synchronously as of the end of its period, e.g. "
        "buildreport --kind annual --year 2024 --lang en --output review-2024.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=PERIOD_KINDS)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--chapter", type=int, help="chapter number, for a chapter report")
        parser.add_argument("--institution", help="institution code, e.g. semarnat")
        parser.add_argument("--lang", default="en", choices=[code for code, _ in REPORT_LANGUAGES])
        parser.add_argument("--plan", help="plan slug; the first plan by default")
        parser.add_argument("--output", required=True, type=Path)

    def handle(
        self, *args, kind, year, quarter, chapter, institution, lang, plan, output, **options
    ):
        plans = Plan.objects.all()
        plan_obj = (plans.filter(slug=plan) if plan else plans).first()
        if plan_obj is None:
            raise CommandError("No such plan. Load it first with `manage.py loadplan`.")
        if kind == "quarterly" and not quarter:
            raise CommandError("A quarterly report needs --quarter.")
        if kind == "annual" and quarter:
            raise CommandError("An annual review covers a whole year: leave out --quarter.")
        chapter_obj = institution_obj = None
        if kind == "chapter":
            if chapter is None:
                raise CommandError("A chapter report needs --chapter.")
            chapter_obj = plan_obj.chapters.filter(number=chapter).first()
            if chapter_obj is None:
                raise CommandError(f"The plan has no chapter {chapter}.")
        if kind == "institution":
            institution_obj = Institution.objects.filter(code=institution or "").first()
            if institution_obj is None:
                raise CommandError("An institution report needs --institution with a known code.")
        if not plan_obj.period_start.year <= year <= plan_obj.period_end.year:
            raise CommandError(
                f"The plan runs from {plan_obj.period_start} to {plan_obj.period_end}."
            )
        pdf, pages, as_of = render_pdf(
            plan=plan_obj,
            kind=kind,
            year=year,
            quarter=quarter,
            chapter=chapter_obj,
            institution=institution_obj,
            language=lang,
        )
        output.write_bytes(pdf)
        self.stdout.write(f"{output}: {pages} pages, {len(pdf):,} bytes, as of {as_of}.")
