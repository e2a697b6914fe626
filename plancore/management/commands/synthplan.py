from django.core.management.base import BaseCommand, CommandError

from plancore.seeding.synthetic import PlanExists, build_synthetic_plan


class Command(BaseCommand):
    help = "Build a synthetic plan of the real plan's shape and history, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=2000)
        parser.add_argument("--milestones-per-action", type=int, default=5)
        parser.add_argument("--updates-per-action", type=int, default=3)
        parser.add_argument("--chapters", type=int, default=6)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        for name in ("actions", "chapters"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        for name in ("milestones_per_action", "updates_per_action"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} cannot be negative.")
        try:
            plan = build_synthetic_plan(
                actions=options["actions"],
                milestones_per_action=options["milestones_per_action"],
                updates_per_action=options["updates_per_action"],
                chapters=options["chapters"],
                seed=options["seed"],
            )
        except PlanExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Built {plan.title!r} ({plan.slug}).")
