"""How long an annual review takes to build, and how much memory: the real plan and synthetic ones.

Runs on a throwaway database of the configured engine (DATABASE_URL), so it touches no data:
    .venv/bin/python bench/reports.py [--sizes 500,2000] [--before] [--profile SIZE]

The parent process creates the database and seeds it once: the real plan with its demo history,
and one synthetic plan per size (5 milestones and 3 updates per action). Each report is then built
in a fresh subprocess (`--one SIZE`), as reporting.rendering.render_pdf builds it in a worker: the
parts laid out by the layout processes (reporting/layout.py) and joined. Printed per build: the
seconds, pages, pages per second, CPU seconds of the build's process and of its layout processes,
and the peak memory of the build's process and of its largest layout process. The real plan is
built twice in its subprocess: first with the layout processes starting, then as a worker that has
built a report before builds it (they are kept between builds), and as a whole build (the PDF,
its draft and the DOCX: reporting.rendering.render_files).

--before also builds each report as it was built before the parts: one WeasyPrint document laid out
in the build's own process, for a comparison in the same run on the same machine.
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
TARGET_REAL_S = 1.5
TARGET_MB = 400
BEFORE_SHARE = 0.5
DB_ENV = "BENCH_REPORTS_DATABASE"
REPORT = {"kind": "annual", "year": YEAR, "language": LANGUAGE}


def peak_mb():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def use_database(name):
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name


def timed_build(plan, how):
    """One build of the annual review; its figures as a dict."""
    from reporting.rendering import render_files, render_pdf

    figures = {}
    cpu = cpu_seconds()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        if how == "before":
            pdf, pages = render_whole_here(plan)
        elif how == "files":
            files = render_files(plan=plan, **REPORT)
            pdf, pages = files.pdf, files.pages
        else:
            pdf, pages, _as_of = render_pdf(plan=plan, **REPORT, figures=figures)
        seconds = time.perf_counter() - start
    parts = figures.get("parts", {})
    return {
        "how": how,
        "seconds": seconds,
        "pages": pages,
        "bytes": len(pdf),
        "queries": len(queries),
        "cpu": cpu_seconds() - cpu,
        "children_cpu": sum(sum(p["cpu_seconds"]) for p in parts.values()),
        "parts": len(parts),
        "peak_mb": peak_mb(),
        "child_peak_mb": max((p["peak_kb"] for p in parts.values()), default=0) / 1024,
    }


def render_whole_here(plan):
    """The report as it was built before the parts: one document, laid out in this process."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from reporting.rendering import report_content

    content = report_content(plan=plan, **REPORT)
    with translation.override(LANGUAGE):
        html = render_to_string("reporting/report.html", content)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages)


def build_one(size, how, profile=False):
    plan = Plan.objects.get(slug=REAL_SLUG if size == REAL else f"synthetic-{size}")
    actions = plan_actions(plan)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    rows = [timed_build(plan, how)]
    if size == REAL and how == "parts":  # the layout processes are kept between builds
        rows.append(timed_build(plan, "warm"))
        rows.append(timed_build(plan, "files"))
    if profiler:
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(30)
        print(out.getvalue(), file=sys.stderr)
    return [row | {"size": size, "actions": actions} for row in rows]


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
    load_demo(plan, fixtures / "demo", build_reports=False)
    print(f"seeded the real plan with its demo history in {time.perf_counter() - start:.1f} s")
    for size in sizes:
        start = time.perf_counter()
        build_synthetic_plan(actions=size, milestones_per_action=5, updates_per_action=3)
        print(f"seeded synthetic-{size} in {time.perf_counter() - start:.1f} s")


def run_child(size, how, database, profile=False):
    command = [sys.executable, __file__, "--one", str(size), "--how", how]
    if profile:
        command.append("--profile-one")
    env = os.environ | {DB_ENV: database}
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdict(ok):
    return "ok" if ok else "MISSED"


LABELS = {
    "parts": "layout processes",
    "warm": "the same, again",
    "files": "PDF, draft, DOCX",
    "before": "as before",
}


def report(rows):
    header = (
        f"{'plan':<14} {'actions':>7} {'build':<17} {'seconds':>8} {'pages':>6} {'pages/s':>8} "
        f"{'s/page':>7} {'parts':>5} {'CPU s':>6} {'+layout':>8} {'peak MB':>8} {'+layout':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        name = "real + demo" if r["size"] == REAL else f"synthetic-{r['size']}"
        child = f"{r['child_peak_mb']:>8.0f}" if r["parts"] else f"{'-':>8}"
        print(
            f"{name:<14} {r['actions']:>7} {LABELS[r['how']]:<17} {r['seconds']:>8.2f} "
            f"{r['pages']:>6} {r['pages'] / r['seconds']:>8.1f} {r['seconds'] / r['pages']:>7.3f} "
            f"{r['parts']:>5} {r['cpu']:>6.1f} {r['children_cpu']:>8.1f} {r['peak_mb']:>8.0f} "
            f"{child}"
        )
    print()
    found = {(r["size"], r["how"]): r for r in rows}
    real = found.get((REAL, "warm"))
    if real:
        print(
            f"target: the real plan's review < {TARGET_REAL_S} s once the layout processes run: "
            f"{real['seconds']:.2f} s {verdict(real['seconds'] < TARGET_REAL_S)}"
        )
    files = found.get((REAL, "files"))
    if files:
        print(
            f"target: the worker's whole build of it (PDF, draft, DOCX) < {TARGET_REAL_S} s: "
            f"{files['seconds']:.2f} s {verdict(files['seconds'] < TARGET_REAL_S)}"
        )
    largest = max((r["size"] for r in rows if r["size"] != REAL), default=None)
    if largest is None:
        return
    big = found[(largest, "parts")]
    peak = max(big["peak_mb"], big["child_peak_mb"])
    print(
        f"target: {largest:,} actions ≤ {TARGET_MB} MB in every process: build {big['peak_mb']:.0f}"
        f" MB, largest layout process {big['child_peak_mb']:.0f} MB {verdict(peak <= TARGET_MB)}"
    )
    before = found.get((largest, "before"))
    if before:
        share = big["seconds"] / before["seconds"]
        print(
            f"target: {largest:,} actions in ≤ {BEFORE_SHARE:.0%} of the time it took whole: "
            f"{big['seconds']:.1f} s of {before['seconds']:.1f} s ({share:.0%}) "
            f"{verdict(share <= BEFORE_SHARE)}"
        )
    if real:
        per_real = real["seconds"] / real["pages"] * 1000
        per_big = big["seconds"] / big["pages"] * 1000
        print(
            f"target: a page at {largest:,} actions costs no more than at {real['actions']}: "
            f"{per_big:.0f} ms against {per_real:.0f} ms {verdict(per_big <= per_real)}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,2000", help="synthetic plan sizes (actions)")
    parser.add_argument("--before", action="store_true", help="also build them whole, as before")
    parser.add_argument("--profile", default="", help="also profile one size (e.g. 2000 or real)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--how", default="parts", help=argparse.SUPPRESS)
    parser.add_argument("--profile-one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:  # child: the database exists and is seeded
        use_database(os.environ[DB_ENV])
        size = args.one if args.one == REAL else int(args.one)
        print(json.dumps(build_one(size, args.how, profile=args.profile_one)))
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
        rows = []
        for size in [REAL, *sizes]:
            if args.before:
                rows += run_child(size, "before", database)
            rows += run_child(size, "parts", database)
        print()
        report(rows)
        if args.profile:
            size = args.profile if args.profile == REAL else int(args.profile)
            print(f"\nprofile of the {size} build (cProfile, on stderr):", flush=True)
            run_child(size, "parts", database, profile=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
