"""How fast the portal's pages answer under load, from the real plan to 10,000 actions.

Serves each plan from its own PostgreSQL database with gunicorn, as the compose stack runs the web
service (sync workers, DEBUG off, collected static files), signs in through the sign-in form, and
loads each page with concurrent clients on 127.0.0.1 for a bounded time:
    .venv/bin/python bench/pages.py [--sizes 35,2000,10000] [--quick] [--rebuild] [--pages ...]

Size 35 is the real plan with its demo users and history (loadplan --demo), read as the demo
`embassy-dk`; any other size is a synthetic plan (synthplan, 5 milestones and 3 updates per
action) read by an embassy-staff user of the Danish embassy. A synthetic database holds that plan
alone: the real plan that loadplan brings with the institutions and SDGs is deleted again, so
that the dashboard and the reports page, which show the first plan, show the synthetic one, and
the action list lists N actions. The databases (bench_pages_<size>) are kept and reused, migrated
to the checkout's schema: seeding 10,000 actions takes minutes. --rebuild seeds them again.

Every page is compared with a trivial signed-in page ("ok") that the same workers serve through
the same middleware (bench/urls.py); bench/timing.py, in front of the portal's middleware
(bench/settings.py), reports each request's queries and SQL time. The CSV export is a download:
it is timed alone, with the growth of the serving worker's peak memory. Exits 1 when a page
answers anything but 200 (a 404 skips it); missed targets are figures, not errors.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def postgres_server():
    """The PostgreSQL server: DATABASE_URL's if it names one, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return "postgres://postgres@127.0.0.1:5432"


os.environ["DATABASE_URL"] = f"{postgres_server()}/postgres"
os.environ["DJANGO_SETTINGS_MODULE"] = "plancore.settings"

import django  # noqa: E402

django.setup()

from bench.databases import (  # noqa: E402
    REAL_SIZE,
    SERVER_URL,
    database_url,
    prepare_database,
    seed_budget,
)
from bench.load import (  # noqa: E402
    REQUEST_TIMEOUT,
    Client,
    Server,
    hammer,
    measure,
    memory_kb,
    reset_peak_memory,
)


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # {slug}, {chapter} and {action} are the measured plan's
    # Held to the throughput target (a share of the trivial page's requests per second).
    throughput: bool = False


# One line per page. A page that answers 404 (not built yet) is skipped with a note.
PAGES = [
    Page("dashboard", "/", throughput=True),
    Page("list", "/actions/", throughput=True),
    # Searched by word: what is slipping on the Mexican side. Held to the p95 targets; its
    # share of the trivial page's throughput is printed, the issue holds the other three to it.
    Page(
        "list-search",
        "/actions/?"
        + urlencode({"q": "mexico", "status": ["at_risk", "delayed"], "side": "MX"}, doseq=True),
    ),
    Page("detail", "/actions/{action}/", throughput=True),
    Page("chapter", "/plan/{slug}/chapters/{chapter}/"),
    Page("reports", "/reports/"),
    Page("needs-me", "/needs-me/"),
    Page("api-actions", "/api/v1/actions/"),
]
TRIVIAL = Page("trivial", "/bench/ok/")
EXPORT = "export"
EXPORT_PATH = "/actions/export.csv"


# The compose stack's web service runs sync workers with a 30 s timeout; two of them here.
WORKERS = 2
CLIENTS = 4
P95_TARGETS_MS = [(2000, 60), (10000, 80)]  # up to this many actions: p95 at most this
THROUGHPUT_TARGET = 0.3  # × the trivial page's requests per second


@dataclass(frozen=True)
class Limits:
    seconds: float
    requests: int
    alone_seconds: float
    alone_requests: int
    baseline_seconds: float
    exports: int

    def load(self):
        names = ("seconds", "requests", "alone_seconds", "alone_requests")
        return {name: getattr(self, name) for name in names}


FULL = Limits(
    seconds=10, requests=200, alone_seconds=6, alone_requests=20, baseline_seconds=3, exports=3
)
QUICK = Limits(
    seconds=3, requests=60, alone_seconds=2, alone_requests=5, baseline_seconds=1, exports=1
)


# The server ---------------------------------------------------------------------------------


# The cache (and broker) of the compose stack is Redis: pages keep the plan figures, the shared
# dashboard sections and each person's "what needs me" there. A database of Redis of the bench's
# own, emptied before each plan is served (user and plan ids repeat across the databases).
CACHE_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def fresh_cache():
    """Empty the bench's Redis database; None (each worker caches in its memory) without one."""
    import redis

    try:
        redis.Redis.from_url(CACHE_URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        print(f"  no Redis at {CACHE_URL} ({error}): each worker caches in its own memory")
        return None
    return CACHE_URL


def server_env(name, workdir, cache_url=None):
    """The compose stack's environment for the web service, on plain http at 127.0.0.1."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    if cache_url:
        env["REDIS_URL"] = cache_url
    return env | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(name),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "BENCH_TIMING_DIR": str(workdir),
    }


def collect_static(workdir):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=server_env("postgres", workdir),
        check=True,
        timeout=300,
    )


def measure_export(client, server, runs, workdir):
    """The full CSV export, one at a time: time, size, and how far the worker's peak RSS rose."""
    rows = []
    for _ in range(runs):
        before = {}
        for pid in server.workers():
            reset_peak_memory(pid)
            before[pid] = memory_kb(pid)["VmRSS"]
            (workdir / f"{pid}.streamed").unlink(missing_ok=True)
        response = client.get(EXPORT_PATH)
        row = {"response": response, "db": response.figures("X-Bench-DB")}
        pid = int(response.headers.get("X-Bench-Worker", 0))
        if response.status == 200 and pid in before:
            row["lines"] = response.body.count(b"\n") - 1
            row["growth_mb"] = (memory_kb(pid)["VmHWM"] - before[pid]) / 1024
            streamed = workdir / f"{pid}.streamed"
            if streamed.exists():  # the totals of a streamed response
                row["db"] = [float(x) for x in streamed.read_text().split(";")]
        rows.append(row)
    return rows


# Targets and tables -------------------------------------------------------------------------


def p95_target_ms(actions):
    for size, target in P95_TARGETS_MS:
        if actions <= size:
            return target
    return P95_TARGETS_MS[-1][1]


def verdict(page, result, actions):
    target = p95_target_ms(actions)
    text = [f"p95≤{target}"]
    ok = result.percentile_ms(0.95) <= target
    if page.throughput:
        text.append(f"≥{THROUGHPUT_TARGET}×")
        ok = ok and result.per_second >= THROUGHPUT_TARGET * result.baseline
    return " ".join(text), "PASS" if ok else "FAIL"


def print_table(facts, rows):
    plan = "real plan + demo" if facts["size"] == REAL_SIZE else facts["slug"]
    print(
        f"\n{facts['actions']} actions ({plan}; detail: action {facts['action_number']}, "
        f"chapter {facts['chapter']}); {CLIENTS} clients, {WORKERS} workers"
    )
    header = (
        f"{'page':<14} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'×trivial':>8} "
        f"{'queries':>7} {'DB ms':>7} {'worker ms':>9}  {'target':<16} verdict"
    )
    print(header)
    print("-" * len(header))
    for page, result in rows:
        if result.skipped:
            print(f"{page.name:<14} skipped: {result.path} {result.skipped}")
            continue
        if not result.ok:
            print(f"{page.name:<14} ERROR: {result.describe_failures()}")
            continue
        target, passed = "(baseline)", ""
        if page.path != TRIVIAL.path:
            target, passed = verdict(page, result, facts["actions"])
        failed = f" ({len(result.failures)} failed)" if result.failures else ""
        print(
            f"{page.name:<14} {len(result.ok):>8} {result.percentile_ms(0.5):>8.1f} "
            f"{result.percentile_ms(0.95):>8.1f} {result.per_second:>7.1f} "
            f"{result.per_second / result.baseline:>8.2f} "
            f"{result.alone_median('X-Bench-DB', 0):>7.0f} "
            f"{result.alone_median('X-Bench-DB', 1):>7.1f} "
            f"{result.alone_median('X-Bench-App', 0):>9.1f}  {target:<16} {passed}{failed}"
        )
    print(
        f"p50, p95, req/s: {CLIENTS} clients at once; ×trivial: req/s over the trivial page's "
        "over the run; queries, DB ms (SQL round trips) and worker ms (the whole request in "
        "the worker): one request alone, median"
    )


def compared(tables):
    """The two sizes the growth verdict compares: the smallest and the largest synthetic plan
    when the run has two (the same shape of plan, N apart), else the smallest and the largest.
    The real plan's 35 actions fill neither the API's page of 100 nor give a search its bound
    of matches, so its work is less for a reason other than N: shown, not compared."""
    synthetic = [i for i, (_, _, real) in enumerate(tables) if not real]
    return (synthetic[0], synthetic[-1]) if len(synthetic) >= 2 else (0, len(tables) - 1)


def print_growth(tables):
    """Queries and SQL time of one request at every size, and whether they grow with N."""
    if len(tables) < 2:
        return
    first, last = compared(tables)
    sizes = " / ".join(str(actions) for actions, _, _ in tables)
    print(
        f"\ndatabase work per request at {sizes} actions (one request alone, median; "
        f"target: does not grow with N, from {tables[first][0]} to {tables[last][0]} actions)"
    )
    width = 7 * len(tables)
    header = f"{'page':<14} {'queries':>{width}}   {'DB ms':>{width + len(tables)}}  verdict"
    print(header)
    print("-" * len(header))
    for page, _ in tables[0][1]:
        results = [dict(rows).get(page) for _, rows, _ in tables]
        if not all(result and result.alone for result in results):
            continue
        queries = [result.alone_median("X-Bench-DB", 0) for result in results]
        db_ms = [result.alone_median("X-Bench-DB", 1) for result in results]
        # A quarter and 2 ms are allowed for noise; beyond that the work grows with N.
        flat = queries[last] <= queries[first] + 0.5 and db_ms[last] <= 1.25 * db_ms[first] + 2
        passed = "PASS" if flat else "FAIL"
        if page.path == TRIVIAL.path:
            passed = "(the noise)"  # the same work at every size
        print(
            f"{page.name:<14} {''.join(f'{q:>7.0f}' for q in queries)}   "
            f"{''.join(f'{t:>8.1f}' for t in db_ms)}  {passed}"
        )


def print_export(exports):
    print(f"\nfull CSV export ({EXPORT_PATH}), one request at a time")
    header = (
        f"{'actions':>8} {'rows':>7} {'MB':>6} {'time s':>7} {'queries':>7} {'DB ms':>8} "
        f"{'worker ms':>9} {'worker peak RSS +MB':>20}"
    )
    print(header)
    print("-" * len(header))
    for actions, rows in exports:
        good = [r for r in rows if "lines" in r]
        if not good:
            print(f"{actions:>8} ERROR: {rows[0]['response'].describe()}")
            continue
        last = good[-1]
        queries, db_ms, worker_ms = (last["db"] + [float("nan")] * 3)[:3]
        print(
            f"{actions:>8} {last['lines']:>7} {len(last['response'].body) / 1e6:>6.2f} "
            f"{statistics.median(r['response'].seconds for r in good):>7.2f} {queries:>7.0f} "
            f"{db_ms:>8.1f} {worker_ms:>9.1f} {max(r['growth_mb'] for r in good):>20.1f}"
        )


# The run ------------------------------------------------------------------------------------


def machine_load():
    """Others' work on the machine shows here: with 2 cores, much above 2 slows every figure."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def run_size(size, pages, limits, rebuild, workdir, with_export):
    """Measure every page on one plan; returns its facts, rows, export and problems."""
    name, facts = prepare_database(size, rebuild, workdir)
    load = machine_load()
    print(f"{name}: serving {facts['actions']} actions", flush=True)
    env = server_env(name, workdir, fresh_cache())
    server = Server(workers=WORKERS, env=env, cwd=ROOT, logs=workdir)
    problems, export, clients = [], [], []
    try:
        clients += [Client(server.port) for _ in range(CLIENTS)]
        for client in clients:
            problems += client.sign_in(facts["username"], facts["password"])
            if client.get(TRIVIAL.path).body != b"ok":
                raise SystemExit(f"signed in as {facts['username']}, but {TRIVIAL.path} refused")
        problems = problems[:1]  # the same for every client
        # The trivial page is measured at the start, at the end and briefly after each page:
        # pooled, these samples are the baseline over the whole run, which others' work on the
        # machine moves less than any one of them.
        again = Page("trivial-again", TRIVIAL.path)
        rows, samples = [], []
        for page in [TRIVIAL, *pages, again]:
            result = measure(clients, page.path.format(**facts), **limits.load())
            if page.path == TRIVIAL.path and result.wall:
                samples.append((len(result.ok), result.wall))
            elif result.responses and not result.skipped:
                trivial, wall = hammer(clients, TRIVIAL.path, limits.baseline_seconds, 10**6)
                samples.append((sum(r.status == 200 for r in trivial), wall))
            rows.append((page, result))
            print(f"  {page.name}: done", flush=True)
        if with_export:
            export = measure_export(clients[0], server, limits.exports, workdir)
    except BaseException:
        print(f"gunicorn's log:\n{server.log.read_text()[-6000:]}", file=sys.stderr)
        raise
    finally:
        for client in clients:
            client.close()
        server.stop()
    baseline = sum(n for n, _ in samples) / (sum(wall for _, wall in samples) or float("nan"))
    for _, result in rows:
        result.baseline = baseline
    print_table(facts, rows)
    rates = sorted(n / wall for n, wall in samples) or [float("nan")]
    print(
        f"trivial page over the run: {baseline:.1f} req/s ({len(samples)} samples from "
        f"{rates[0]:.0f} to {rates[-1]:.0f} req/s)"
    )
    print(f"machine load (1, 5, 15 min): {load} before, {machine_load()} after")
    problems += [f"{r.path}: {r.describe_failures()}" for _, r in rows if r.failures]
    problems += [f"{EXPORT_PATH}: {r['response'].describe()}" for r in export if "lines" not in r]
    if problems and server.first_traceback():
        print(f"\nthe first traceback in gunicorn's log:\n{server.first_traceback(2500)}")
    return facts, rows, export, [f"{facts['actions']} actions, {p}" for p in problems]


def main():
    names = [page.name for page in PAGES] + [EXPORT]
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="35,2000,10000", help="35 is the real plan")
    parser.add_argument("--quick", action="store_true", help="a short run: 3 s or 60 requests")
    parser.add_argument("--rebuild", action="store_true", help="seed the databases again")
    parser.add_argument("--pages", default=",".join(names), help=", ".join(names))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    wanted = [n.strip() for n in args.pages.split(",") if n.strip()]
    unknown = set(wanted) - set(names)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}; known: {', '.join(names)}")
    pages = [page for page in PAGES if page.name in wanted]
    limits = QUICK if args.quick else FULL

    per_page = limits.alone_seconds + limits.seconds + limits.baseline_seconds
    per_size = (len(pages) + 2) * per_page + 30
    worst = per_size + ((len(pages) + 2) * 3 + limits.exports) * REQUEST_TIMEOUT
    print(
        f"PostgreSQL at {SERVER_URL}; gunicorn with {WORKERS} sync workers; {CLIENTS} clients; "
        f"each page {limits.seconds:g} s or {limits.requests} requests, after "
        f"{limits.alone_seconds:g} s or {limits.alone_requests} requests of one client alone"
    )
    print(
        f"time budget per size: about {per_size / 60:.1f} min, at most {worst / 60:.0f} min "
        f"if requests run into the {REQUEST_TIMEOUT} s timeout; seeding a new database at most "
        + ", ".join(f"{seed_budget(s) // 60} min for {s}" for s in sizes),
        flush=True,
    )
    started = time.perf_counter()
    tables, exports, problems = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        workdir = Path(tmp)
        collect_static(workdir)
        for size in sizes:
            facts, rows, export, trouble = run_size(
                size, pages, limits, args.rebuild, workdir, EXPORT in wanted
            )
            tables.append((facts["actions"], rows, size == REAL_SIZE))
            if export:
                exports.append((facts["actions"], export))
            problems += trouble
    print_growth(tables)
    if exports:
        print_export(exports)
    print(f"\nwhole run: {(time.perf_counter() - started) / 60:.1f} min")
    if problems:
        print("\nfailures:")
        for problem in problems:
            print(f"  {problem}")
        sys.exit(1)


if __name__ == "__main__":
    main()
