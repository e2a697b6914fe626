"""What one request cost the worker, for bench/pages.py to collect.

X-Bench-DB: queries and their total time ("count;ms"), each timed around its execute call on the
default connection, so the time includes the round trip to PostgreSQL and the rows' transfer;
X-Bench-App: the whole request inside the worker, in ms; X-Bench-Worker: the worker's pid.
A streamed response (the CSV export) runs most of its queries after the headers are sent: its
headers hold what came before the first byte, and once the last byte is out the totals
("count;ms;app ms") are written to BENCH_TIMING_DIR/<pid>.streamed.
"""

import os
import time
from pathlib import Path

from django.db import connection


class _QueryTimer:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class RequestTimingMiddleware:
    """Outermost, so that the session, sign-in and second-factor queries are counted too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        start = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        response["X-Bench-DB"] = f"{timer.count};{timer.seconds * 1000:.3f}"
        response["X-Bench-App"] = f"{(time.perf_counter() - start) * 1000:.3f}"
        response["X-Bench-Worker"] = str(os.getpid())
        if response.streaming:
            response.streaming_content = _streamed(response.streaming_content, timer, start)
        return response


def _streamed(content, timer, start):
    with connection.execute_wrapper(timer):
        yield from content
    totals = f"{timer.count};{timer.seconds * 1000:.3f};{(time.perf_counter() - start) * 1000:.3f}"
    directory = os.environ.get("BENCH_TIMING_DIR")
    if directory:
        Path(directory, f"{os.getpid()}.streamed").write_text(totals)
