"""The server and the clients of bench/pages.py: gunicorn on 127.0.0.1, and browsers in threads.

Each client is an httpx client of its own (its own cookies, so its own session), synchronous,
without redirects followed, and bound to 127.0.0.1: nothing leaves the machine.
"""

import logging
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

# httpx logs every request at INFO, which the portal's logging settings would print.
logging.getLogger("httpx").setLevel(logging.WARNING)

REQUEST_TIMEOUT = 30  # gunicorn's --timeout: a slower request has its worker killed
LOGIN_PATH = "/accounts/login/"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the portal's WSGI application on a free port of 127.0.0.1."""

    def __init__(self, *, workers, env, cwd, logs):
        self.port = free_port()
        self.log = logs / f"gunicorn-{self.port}.log"
        self.size = workers
        command = [sys.executable, "-m", "gunicorn", "plancore.wsgi"]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(workers), "--timeout", str(REQUEST_TIMEOUT)]
        command += ["--access-logfile", str(logs / f"access-{self.port}.log")]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        self._wait_until_ready()

    def _wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log.read_text()[-4000:]}")
            probe = Client(self.port)
            status = probe.get(LOGIN_PATH).status
            probe.close()
            if status == 200 and len(self.workers()) == self.size:
                return
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within {timeout} s:\n{self.log.read_text()}")

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def first_traceback(self, length=4000):
        log = self.log.read_text()
        start = log.find("Traceback")
        return log[start : start + length] if start >= 0 else ""

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def reset_peak_memory(pid):
    """Linux: the process's peak resident set (VmHWM) starts again from its present size."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def memory_kb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return {k: int(re.search(rf"{k}:\s+(\d+)", status).group(1)) for k in ("VmRSS", "VmHWM")}


@dataclass
class Response:
    status: int
    seconds: float
    body: bytes = b""
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    error: str = ""

    def figures(self, header):
        return [float(x) for x in self.headers.get(header, "").split(";") if x]

    def describe(self):
        return self.error or f"HTTP {self.status} {self.headers.get('Location', '')}".strip()


class Client:
    """One browser: its own cookies (its own session), one request at a time (gunicorn's sync
    workers close each connection after the response, as they do behind nginx)."""

    def __init__(self, port):
        self.http = httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Accept-Language": "en"},
            timeout=REQUEST_TIMEOUT,
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: loopback only
        )

    def request(self, method, path, body=None, headers=None):
        start = time.perf_counter()
        try:
            reply = self.http.request(method, path, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return Response(0, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - start
        return Response(reply.status_code, seconds, reply.content, reply.headers)

    def close(self):
        self.http.close()

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, fields, multipart=False):
        if not multipart:
            body = urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            boundary = secrets.token_hex(16)
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                for name, value in fields.items()
            ]
            body = ("".join(parts) + f"--{boundary}--\r\n").encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body=body, headers={"Content-Type": content_type})

    def sign_in(self, username, password, *, landing="/"):
        """Through the sign-in form, sent as a browser sends it; returns what went wrong."""
        form = self.get(LOGIN_PATH)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        if form.status != 200 or not token:
            raise SystemExit(f"no sign-in form at {LOGIN_PATH}: {form.describe()}")
        fields = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": password,
        }
        problems = []
        answer = self.post_form(LOGIN_PATH, fields)
        if answer.status >= 500:
            # Still measure the pages: sign in with the form sent as multipart instead.
            problems.append(
                f"POST {LOGIN_PATH} sent as browsers send it (urlencoded) answered "
                f"{answer.status}; signed in with the form sent as multipart instead"
            )
            answer = self.post_form(LOGIN_PATH, fields, multipart=True)
        if answer.status != 302 or answer.headers.get("Location") != landing:
            raise SystemExit(
                f"signing in as {username} did not lead to {landing}: {answer.describe()} "
                "(a second sign-in step?)"
            )
        return problems


@dataclass
class Measurement:
    """The answers to one URL: a few requests alone, then under load, and how long that lasted."""

    path: str
    alone: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    wall: float = 0.0
    skipped: str = ""
    # What the throughput is compared with: the trivial page's requests per second.
    baseline: float = float("nan")

    @property
    def ok(self):
        return [r for r in self.responses if r.status == 200]

    @property
    def failures(self):
        return [r for r in self.responses if r.status != 200]

    def describe_failures(self):
        first = self.failures[0].describe()
        return f"{len(self.failures)} of {len(self.responses)} requests failed; first: {first}"

    def percentile_ms(self, share):
        times = sorted(r.seconds for r in self.ok)
        if not times:
            return float("nan")
        rank = share * (len(times) - 1)
        low = int(rank)
        high = min(low + 1, len(times) - 1)
        return (times[low] + (times[high] - times[low]) * (rank - low)) * 1000

    @property
    def per_second(self):
        return len(self.ok) / self.wall if self.wall else 0.0

    def alone_median(self, header, index):
        """What one request costs the worker with nothing else running (median)."""
        values = [r.figures(header)[index] for r in self.alone if r.status == 200]
        return statistics.median(values) if values else float("nan")


def hammer(clients, path, seconds, requests):
    """Every client requests `path` until the time or the number of requests is used up."""
    responses, lock = [], threading.Lock()
    issued = 0
    deadline = time.perf_counter() + seconds

    def run(client):
        nonlocal issued
        while time.perf_counter() < deadline:
            with lock:
                if issued >= requests:
                    return
                issued += 1
            response = client.get(path)
            with lock:
                responses.append(response)

    start = time.perf_counter()
    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses, time.perf_counter() - start


def measure(clients, path, *, seconds, requests, alone_seconds, alone_requests):
    """One probe (a 404 skips the page), then one client alone, which warms the workers up and
    shows what a request costs without contention, then every client for the measured load."""
    result = Measurement(path)
    probe = clients[0].get(path)
    if probe.status == 404:
        result.skipped = "answers 404: not there yet"
        return result
    if probe.status != 200:
        result.responses = [probe]
        return result
    result.alone, _ = hammer(clients[:1], path, alone_seconds, alone_requests)
    result.responses, result.wall = hammer(clients, path, seconds, requests)
    result.responses += [r for r in result.alone if r.status != 200]
    return result
