"""Lay out a report's parts at once, one per core, in layout processes kept between builds.

The processes are fresh interpreters (reporting.layout_worker) started with subprocess, not
forked: a Celery prefork worker is a daemon process, which multiprocessing forbids to have
children, and a fork would copy the worker's database connections. A layout process needs no
database; it gets a part's HTML and answers with its PDF. It exits when this process closes its
pipe, so a killed worker leaves none behind. One that grew past REPORT_LAYOUT_RECYCLE_MB is
replaced after its part, and idle ones are stopped after REPORT_LAYOUT_IDLE_SECONDS.
"""

import atexit
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.conf import settings

from reporting.layout_worker import read_message, write_message

log = logging.getLogger(__name__)


class PartFailed(Exception):
    """A part of the report could not be laid out: `part` names it, `reason` says why."""

    def __init__(self, part, reason):
        super().__init__(f"{part}: {reason}")
        self.part = part
        self.reason = reason


@dataclass
class Part:
    """One piece of a report laid out on its own: its HTML, or its PDF already laid out
    (`under`), and the HTML of the furniture to draw over its pages, if any. `weight` guesses
    its cost (the heaviest should be sent first)."""

    name: str
    html: str | None = None
    weight: int = 1
    under: bytes | None = None
    furniture: str | None = None


@dataclass
class LaidOut:
    """A part's PDF and what reporting.layout_worker says of it."""

    name: str
    pdf: bytes
    pages: int
    peak_kb: int
    cpu_seconds: float
    anchors: dict = field(default_factory=dict)
    links: list = field(default_factory=list)
    bookmarks: list = field(default_factory=list)
    furnished: bool = False


@dataclass
class _Process:
    popen: subprocess.Popen
    idle_since: float = field(default_factory=time.monotonic)

    def run(self, job):
        write_message(self.popen.stdin, job)
        reply = read_message(self.popen.stdout)
        if reply is None:
            raise EOFError(f"the layout process stopped (exit code {self.popen.wait()})")
        return reply

    def stop(self):
        if self.popen.poll() is None:
            self.popen.stdin.close()  # it exits at the end of its input
            try:
                self.popen.wait(5)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.popen.stdout.close()


def cores():
    """The cores this process may run on (its CPU affinity, as a container limits it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LayoutPool:
    def __init__(self, size):
        self.size = max(1, size)
        self._idle = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = 0
        reaper = threading.Thread(target=self._reap, name="report-layout-reaper", daemon=True)
        reaper.start()

    def _reap(self):
        while True:
            time.sleep(max(1.0, settings.REPORT_LAYOUT_IDLE_SECONDS / 2))
            self.stop_idle(settings.REPORT_LAYOUT_IDLE_SECONDS)

    def lay_out(self, parts, base_url):
        """Lay out every part on up to `size` processes, in the order given (the heaviest should
        come first), each sent as soon as `parts` (an iterable) yields it; return them by name.
        The first part that fails stops the rest and raises PartFailed."""
        with ThreadPoolExecutor(self.size) as threads:
            futures = [threads.submit(self._lay_out_one, part, base_url) for part in parts]
            done, pending = wait(futures, return_when=FIRST_EXCEPTION)
            for future in pending:
                future.cancel()
            for future in done:
                if future.exception() is not None:
                    raise future.exception()
            return {future.result().name: future.result() for future in futures}

    def _lay_out_one(self, part, base_url):
        process = self._take()
        try:
            reply = process.run(
                {
                    "base_url": base_url,
                    "html": part.html,
                    "under": part.under,
                    "furniture": part.furniture,
                }
            )
        except (OSError, EOFError, ValueError) as exc:
            process.stop()
            raise PartFailed(part.name, str(exc)) from exc
        self._give_back(process, reply["peak_kb"])
        if "error" in reply:
            raise PartFailed(part.name, reply["error"])
        return LaidOut(name=part.name, **reply)

    def _take(self):
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return self._start()

    def _start(self):
        popen = subprocess.Popen(
            [sys.executable, "-m", "reporting.layout_worker"],
            cwd=settings.BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        with self._lock:
            self._started += 1
        return _Process(popen)

    def _give_back(self, process, peak_kb):
        if peak_kb > settings.REPORT_LAYOUT_RECYCLE_MB * 1024:
            process.stop()
        else:
            process.idle_since = time.monotonic()
            self._idle.put(process)

    def warm_up(self, count):
        """Start up to `count` processes now, so that they load WeasyPrint while this process
        reads the plan."""
        with self._lock:
            wanted = min(count, self.size) - self._idle.qsize()
        for _ in range(max(0, wanted)):
            self._idle.put(self._start())

    def stop_idle(self, older_than=0.0):
        kept = []
        while True:
            try:
                process = self._idle.get_nowait()
            except queue.Empty:
                break
            if time.monotonic() - process.idle_since >= older_than:
                process.stop()
            else:
                kept.append(process)
        for process in kept:
            self._idle.put(process)


_pool = None
_pool_pid = None
_pool_lock = threading.Lock()


def pool():
    """This process's pool (a forked child makes its own; it does not share its parent's)."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = LayoutPool(settings.REPORT_LAYOUT_PROCESSES or cores())
            _pool_pid = os.getpid()
        return _pool


@atexit.register
def _stop_pool():
    if _pool is not None and _pool_pid == os.getpid():
        _pool.stop_idle()
