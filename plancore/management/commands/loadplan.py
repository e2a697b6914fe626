import subprocess
import sys

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
            help=(
                "Also create the demo users and a back-dated history of activity; its reports "
                "are built in the background (builddemoreports), printing their progress."
            ),
        )

        parser.add_argument(
            "--queue-demo-reports",
            action="store_true",
            help=(
                "Leave the demo reports queued for `builddemoreports` (or the workers) instead "
                "of building them in the background: for a container that exits after loading."
            ),
        )

    def handle(self, *args, demo, queue_demo_reports, **options):
        result = load_plan(settings.PLAN_FIXTURES_DIR / "plan")
        self.stdout.write(result.summary())
        if demo:
            from plancore.seeding.demo import load_demo, pending_demo_reports

            directory = settings.PLAN_FIXTURES_DIR / "demo"
            self.stdout.write(load_demo(result.plan, directory, build_reports=False))
            pending = pending_demo_reports(result.plan).count()
            if pending and queue_demo_reports:
                self.stdout.write(f"{pending} demo reports queued for builddemoreports.")
            elif pending:
                self.build_in_the_background(pending)

    def build_in_the_background(self, pending):
        """The portal can be served meanwhile: the reports page shows them being built."""
        subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "builddemoreports"],
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the Ctrl-C meant for the server
        )
        self.stdout.write(
            f"Building {pending} demo reports in the background; their progress follows."
        )
