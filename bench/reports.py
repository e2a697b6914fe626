"""How long an annual review takes to build, and how much memory: the real plan and synthetic ones.

Runs on a throwaway database of the configured engine (DATABASE_URL), so it touches no data:
    .venv/bin/python bench/reports.py [--sizes 500,1000,2000] [--profile SIZE]

The parent process creates the database and seeds it once: the real plan with its demo history,
and one synthetic plan per size (5 milestones and 3 updates per action). Each report is then built
in a fresh subprocess (`--one SIZE`), so that the peak memory printed is that build's own
(ru_maxrss never goes down). Times are split into content assembly (reporting.content), the HTML
template, WeasyPrint's layout and the PDF writing; together they are reporting.rendering.render_pdf.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plancore.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from plancore.models import Plan  # noqa: E402

REAL = "real"
REAL_SLUG = "jsap-2023-2027"
YEAR = 2025
LANGUAGE = "en"
TARGET_REAL_S = 3
TARGET_2000_S = 60
TARGET_2000_MB = 1536
DB_ENV = "BENCH_REPORTS_DATABASE"


def peak_mb():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def use_database(name):
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name


def build_one(size, profile=False):
    """Build one annual review, timing its parts; return the figures as a dict."""
    import weasyprint

    from reporting import rendering

    plan = Plan.objects.get(slug=REAL_SLUG if size == REAL else f"synthetic-{size}")
    timings = {"content": 0.0, "html": 0.0, "layout": 0.0, "pdf": 0.0}

    def timed(key, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timings[key] += time.perf_counter() - start

        return wrapper

    class TimedHTML(weasyprint.HTML):
        def render(self, *args, **kwargs):
            document = timed("layout", super().render)(*args, **kwargs)
            document.write_pdf = timed("pdf", document.write_pdf)
            return document

    rendering.build_content = timed("content", rendering.build_content)
    rendering.render_to_string = timed("html", rendering.render_to_string)
    rendering.HTML = TimedHTML

    baseline = peak_mb()
    profiler = cProfile.Profile() if profile else None
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        pdf, pages, _ = rendering.render_pdf(plan=plan, kind="annual", year=YEAR, language=LANGUAGE)
        if profiler:
            profiler.disable()
        total = time.perf_counter() - start
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(out.getvalue(), file=sys.stderr)
    return {
        "size": size,
        "actions": plan_actions(plan),
        "total": total,
        **timings,
        "queries": len(queries),
        "pages": pages,
        "bytes": len(pdf),
        "baseline_mb": baseline,
        "peak_mb": peak_mb(),
    }


def plan_actions(plan):
    from actions.models import Action

    return Action.objects.in_plan(plan).count()


def seed(sizes):
    from plancore.seeding.demo import load_demo
    from plancore.seeding.plan import load_plan
    from plancore.seeding.synthetic import build_synthetic_plan

    fixtures = settings.PLAN_FIXTURES_DIR
    start = time.perf_counter()
    plan = load_plan(fixtures / "plan").plan
    load_demo(plan, fixtures / "demo")
    print(f"seeded the real plan with its demo history in {time.perf_counter() - start:.1f} s")
    for size in sizes:
        start = time.perf_counter()
        build_synthetic_plan(actions=size, milestones_per_action=5, updates_per_action=3)
        print(f"seeded synthetic-{size} in {time.perf_counter() - start:.1f} s")


def run_child(size, database, profile=False):
    command = [sys.executable, __file__, "--one", str(size)]
    if profile:
        command.append("--profile-one")
    env = os.environ | {DB_ENV: database}
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdict(ok):
    return "ok" if ok else "MISSED"


def report(rows):
    header = (
        f"{'plan':<16} {'actions':>7} {'content':>8} {'html':>6} {'layout':>7} {'pdf':>6} "
        f"{'total':>7} {'s/action':>9} {'queries':>7} {'pages':>6} {'PDF MB':>7} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        name = "real + demo" if r["size"] == REAL else f"synthetic-{r['size']}"
        print(
            f"{name:<16} {r['actions']:>7} {r['content']:>7.2f}s {r['html']:>5.2f}s "
            f"{r['layout']:>6.2f}s {r['pdf']:>5.2f}s {r['total']:>6.2f}s "
            f"{r['total'] / r['actions'] * 1000:>7.1f}ms {r['queries']:>7} {r['pages']:>6} "
            f"{r['bytes'] / 1e6:>7.2f} {r['peak_mb']:>8.0f}"
        )
    print()
    by_size = {r["size"]: r for r in rows}
    if REAL in by_size:
        r = by_size[REAL]
        ok = r["total"] < TARGET_REAL_S
        print(f"target: real plan < {TARGET_REAL_S} s: {r['total']:.2f} s {verdict(ok)}")
    if 2000 in by_size:
        r = by_size[2000]
        print(
            f"target: 2,000 actions < {TARGET_2000_S} s: {r['total']:.1f} s "
            f"{verdict(r['total'] < TARGET_2000_S)}"
        )
        print(
            f"target: 2,000 actions < {TARGET_2000_MB} MB peak: {r['peak_mb']:.0f} MB "
            f"{verdict(r['peak_mb'] < TARGET_2000_MB)}"
        )
    synthetic = sorted((r for r in rows if r["size"] != REAL), key=lambda r: r["actions"])
    if len(synthetic) >= 2:
        small, large = synthetic[0], synthetic[-1]
        per_small = small["total"] / small["actions"]
        per_large = large["total"] / large["actions"]
        ratio = per_large / per_small
        # Allow 25 % for noise; worse than that is growth faster than linear.
        print(
            f"target: growth no worse than linear: s/action {per_small * 1000:.1f} ms at "
            f"{small['actions']} → {per_large * 1000:.1f} ms at {large['actions']} "
            f"(×{ratio:.2f}) {verdict(ratio <= 1.25)}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,1000,2000", help="synthetic plan sizes (actions)")
    parser.add_argument("--profile", default="", help="also profile one size (e.g. 2000 or real)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--profile-one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:  # child: the database exists and is seeded
        use_database(os.environ[DB_ENV])
        size = args.one if args.one == REAL else int(args.one)
        print(json.dumps(build_one(size, profile=args.profile_one)))
        return

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    engine = connection.vendor
    test_settings = connection.settings_dict.setdefault("TEST", {})
    tmp = None
    if engine == "sqlite":  # a file, not memory: the builds run in other processes
        tmp = tempfile.TemporaryDirectory(prefix="bench-reports-")
        test_settings["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
    else:  # never the test database that pytest may be using at the same time
        test_settings["NAME"] = f"bench_reports_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    database = connection.settings_dict["NAME"]
    try:
        print(f"database: {engine}; annual review {YEAR} ({LANGUAGE}), one subprocess per build")
        seed(sizes)
        connection.close()  # the children open their own
        rows = [run_child(size, database) for size in [REAL, *sizes]]
        print()
        report(rows)
        if args.profile:
            size = args.profile if args.profile == REAL else int(args.profile)
            print(f"\nprofile of the {size} build (cProfile, on stderr):", flush=True)
            run_child(size, database, profile=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
