from django.conf import settings
from django.core.management.base import BaseCommand

from plancore.seeding.plan import load_plan


class Command(BaseCommand):
    help = (
        "Load the Joint Strategic Action Plan 2023-2027, its institutions and agreements from "
        "fixtures/plan/. Safe to run again: what already matches is left untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also create the demo users and a back-dated history of activity.",
        )

    def handle(self, *args, demo, **options):
        result = load_plan(settings.PLAN_FIXTURES_DIR / "plan")
        self.stdout.write(result.summary())
        if demo:
            from plancore.seeding.demo import load_demo

            self.stdout.write(load_demo(result.plan, settings.PLAN_FIXTURES_DIR / "demo"))
