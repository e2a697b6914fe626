from django.core.management.base import BaseCommand

from plancore.models import Plan
from plancore.seeding.demo import build_demo_reports


class Command(BaseCommand):
    help = (
        "Build the demo reports that `loadplan --demo` queued, and release those the demo has "
        "released by both sides; `loadplan --demo` runs it in the background."
    )

    def handle(self, *args, **options):
        built = 0
        for plan in Plan.objects.order_by("pk"):
            built += build_demo_reports(plan, progress=self._say)
        self._say(f"Demo reports: {built} built; the reports page lists them.")

    def _say(self, text):
        self.stdout.write(text)
        self.stdout.flush()
