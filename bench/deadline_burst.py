"""Deadline burst: many applicants press "Submit" in the last seconds before a call closes.

Run from the project folder (PostgreSQL on 127.0.0.1:5432, trust authentication):

    .venv/bin/python bench/deadline_burst.py            # measure and print
    .venv/bin/python bench/deadline_burst.py --record   # ... and add a row to docs/benchmarks.md

What it does, start to end (every step bounded in count and time):

1. Drops and creates the database `baiqau_bench`, migrates it and collects static files into a
   temporary DATA_DIR (DEBUG=0 renders `{% static %}` through the whitenoise manifest).
2. In-process with Django: one published call, N applicants (default 200 on time + 50 late),
   each owning an organisation with a complete draft and a logged-in database session.
3. Starts gunicorn on 127.0.0.1:<free port>, waits for /healthz, and GETs every applicant's
   review page once (csrftoken cookie + the form's csrfmiddlewaretoken; also warms the workers).
4. Only then sets the call's deadline, `--lead` seconds ahead, and schedules the burst against
   that real deadline (one monotonic clock): the on-time submissions spread uniformly over the
   last `--window` seconds before it, a share of them double-clicked (`--double-click-gap`
   later), and the late ones spread over `--late-window` seconds after it. One client thread
   per request, a new connection each, redirects not followed. Meanwhile a sampler reads
   pg_locks (the audit chain's advisory lock: held, waited for; row-lock waits) and a meter
   compares the machine's busy cores with the benchmark's own processes.
5. Checks the database for each applicant (status, receipt number, versions, `application.
   submitted` audit events, receipt notifications), runs `baiqau audit verify`, prints the
   summary, stops gunicorn by its PID and drops the database. Exit status 1 if a target is
   missed, 2 if the run itself failed.

Targets: every on-time applicant accepted exactly once, every late one refused, none lost,
no duplicates, no late acceptance, p99 latency of the on-time requests under 1 s.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import http.client
import http.cookies
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # .venv/bin when run as .venv/bin/python
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"
LANG = "kk"
DOCS = ROOT / "docs" / "benchmarks.md"

# Hard limits, so that nothing here can loop or wait for ever.
HEALTHZ_TIMEOUT_S = 60
HTTP_TIMEOUT_S = 30
SETUP_GET_DEADLINE_S = 120
BURST_GRACE_S = 60  # after the last scheduled send, how long to wait for answers
SAMPLER_MAX_SAMPLES = 20_000
SUBPROCESS_TIMEOUT_S = 300


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%SZ', time.gmtime())}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--on-time", type=int, default=200, help="applicants submitting on time")
    p.add_argument("--late", type=int, default=50, help="applicants submitting after the deadline")
    p.add_argument("--window", type=float, default=10.0, help="on-time spread, seconds")
    p.add_argument("--late-window", type=float, default=5.0, help="late spread, seconds")
    p.add_argument("--double-click-share", type=float, default=0.2)
    p.add_argument("--double-click-gap", type=float, default=0.05, help="seconds")
    p.add_argument("--lead", type=float, default=None, help="deadline = now + lead once ready")
    p.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    p.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    p.add_argument(
        "--clients",
        type=int,
        default=0,
        help="client threads; 0 (default): one per request, like independent browsers",
    )
    p.add_argument(
        "--wsgi",
        default="baiqau.wsgi",
        help="WSGI module for gunicorn (another one on PYTHONPATH, for experiments)",
    )
    p.add_argument(
        "--task-backend",
        choices=["database", "immediate"],
        default="database",
        help="TASK_BACKEND: database (production: receipts queued for `baiqau worker`, "
        "no worker runs here) or immediate (e-mailed in the request, console backend)",
    )
    p.add_argument("--db", default="baiqau_bench", help="database to create and drop")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--p99-target", type=float, default=1.0, help="seconds")
    p.add_argument("--keep-db", action="store_true", help="do not drop the database afterwards")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    p.add_argument("--record", action="store_true", help="add a row to docs/benchmarks.md")
    args = p.parse_args()
    if not (1 <= args.on_time <= 5000 and 0 <= args.late <= 5000):
        p.error("--on-time must be 1..5000 and --late 0..5000")
    if not (0 <= args.double_click_share <= 1 and 0 < args.double_click_gap <= 5):
        p.error("--double-click-share must be 0..1 and --double-click-gap in (0, 5] seconds")
    if not (0 < args.window <= 120 and 0 < args.late_window <= 120):
        p.error("--window and --late-window must be in (0, 120] seconds")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.db) or args.db in {
        "postgres",
        "test",
        "root",
    }:
        p.error("--db must be a plain, dedicated database name")
    if not 0 <= args.clients <= 2000:
        p.error("--clients must be 0..2000")
    if args.lead is None:
        args.lead = args.window + 2.0
    if args.lead < args.window + 0.5:
        p.error("--lead must leave at least 0.5 s before the first on-time submission")
    return args


# --------------------------------------------------------------------------- database


def admin_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def recreate_database(name: str) -> None:
    admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_baiqau(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "baiqau"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
        check=False,
    )


# --------------------------------------------------------------------------- setup


@dataclass
class Applicant:
    index: int
    user_id: int
    application_id: int
    session_key: str
    on_time: bool
    double_click: bool = False
    csrf_cookie: str = ""
    csrf_token: str = ""


def setup_data(args: argparse.Namespace) -> tuple[int, list[Applicant]]:
    """One open call and the applicants, with the project's own services where it matters."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from baiqau.applications.services import completeness_problems
    from baiqau.calls.models import Call, CallStatus
    from baiqau.organisations.models import Membership, Organisation, OrganisationType
    from tests.factories import complete_draft, next_bin

    User = get_user_model()
    total = args.on_time + args.late
    now = timezone.now()
    # The real deadline is set later, once the server is warm (see set_deadline).
    call = Call.objects.create(
        slug="deadline-burst",
        title_kk="Соңғы мерзім",
        title_ru="Последний срок",
        title_en="Deadline burst",
        status=CallStatus.PUBLISHED,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(hours=1),
        review_ends_at=now + dt.timedelta(days=2),
        results_at=now + dt.timedelta(days=3),
    )
    with transaction.atomic():
        users = []
        for i in range(total):
            user = User(email=f"applicant{i:04d}@bench.example", full_name=f"Applicant {i}")
            user.set_unusable_password()  # no hashing: nobody logs in with a password here
            users.append(user)
        users = User.objects.bulk_create(users)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                bin=next_bin(),
                org_type=OrganisationType.NGO,
                name_kk=f"Ұйым {i}",
                name_ru=f"Организация {i}",
                name_en=f"Organisation {i}",
            )
            for i in range(total)
        )
        Membership.objects.bulk_create(
            Membership(user=u, organisation=o, role="owner")
            for u, o in zip(users, organisations, strict=True)
        )
    # Drafts through the real service (application_create audits each one), so the audit chain
    # already holds `total` events when the burst starts, as it would in production.
    applications = [
        complete_draft(call, u, organisation=o) for u, o in zip(users, organisations, strict=True)
    ]
    for application in applications:
        problems = completeness_problems(application)
        if problems:
            raise RuntimeError(f"draft {application.pk} is not complete: {problems}")

    rng = random.Random(args.seed)
    order = list(range(total))
    rng.shuffle(order)  # which applicants are late is not tied to creation order
    late = set(order[: args.late])
    applicants = []
    for i, (u, draft) in enumerate(zip(users, applications, strict=True)):
        session = SessionStore()
        session["_auth_user_id"] = str(u.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = u.get_session_auth_hash()
        session.create()
        applicants.append(
            Applicant(i, u.pk, draft.pk, session.session_key or "", on_time=i not in late)
        )
    on_time = [x for x in applicants if x.on_time]
    for chosen in rng.sample(on_time, round(len(on_time) * args.double_click_share)):
        chosen.double_click = True
    return call.pk, applicants


def set_deadline(call_pk: int, deadline_epoch: float) -> dt.datetime:
    from baiqau.calls.models import Call

    closes_at = dt.datetime.fromtimestamp(deadline_epoch, tz=dt.UTC)
    updated = Call.objects.filter(pk=call_pk).update(closes_at=closes_at)
    if updated != 1:
        raise RuntimeError("could not set the call's deadline")
    return closes_at


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    args: argparse.Namespace, env: dict[str, str], port: int, logfile: Any
) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        args.wsgi,
        "--bind",
        f"{HOST}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)


def stop_gunicorn(proc: subprocess.Popen[bytes]) -> None:
    """Stop the master by its own PID; it stops its workers."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def gunicorn_command_text(args: argparse.Namespace) -> str:
    return (
        f"gunicorn {args.wsgi} -k gthread -w {args.workers} --threads {args.threads}, "
        f"TASK_BACKEND={args.task_backend}"
    )


def wait_healthy(port: int, proc: subprocess.Popen[bytes]) -> None:
    limit = time.monotonic() + HEALTHZ_TIMEOUT_S
    last = ""
    while time.monotonic() < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before it was healthy")
        try:
            status, _, body, _ = request("GET", port, "/healthz", timeout=2)
            if status == 200:
                return
            last = f"{status} {body[:200]!r}"
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    raise RuntimeError(f"/healthz did not answer 200 within {HEALTHZ_TIMEOUT_S} s: {last}")


# --------------------------------------------------------------------------- HTTP client


def request(
    method: str,
    port: int,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    timeout: float = HTTP_TIMEOUT_S,
) -> tuple[int, dict[str, list[str]], bytes, float]:
    """One request on a fresh connection; no redirects followed. Returns status, headers,
    body and the latency in seconds (connect to last byte)."""
    headers = {"Host": f"{HOST}:{port}", "User-Agent": "baiqau-deadline-burst"}
    body = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        all_headers: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            all_headers.setdefault(key.lower(), []).append(value)
        return response.status, all_headers, data, elapsed
    finally:
        conn.close()


TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def fetch_csrf(port: int, applicant: Applicant) -> float:
    path = f"/{LANG}/applications/{applicant.application_id}/"
    status, headers, body, elapsed = request(
        "GET", port, path, cookies={"sessionid": applicant.session_key}
    )
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    jar = http.cookies.SimpleCookie()
    for value in headers.get("set-cookie", []):
        jar.load(value)
    match = TOKEN_RE.search(body)
    if "csrftoken" not in jar or match is None:
        raise RuntimeError(f"GET {path}: no csrftoken cookie or no submit form")
    applicant.csrf_cookie = jar["csrftoken"].value
    applicant.csrf_token = match.group(1).decode()
    return elapsed


@dataclass
class Result:
    applicant: Applicant
    click: int  # 1, or 2 for the second click of a double click
    scheduled: float  # seconds relative to the deadline
    sent: float = math.nan  # actual start, seconds relative to the deadline
    status: int = 0
    location: str = ""
    latency: float = math.nan
    error: str = ""
    body: bytes = b""  # kept for 4xx answers, to tell why they were refused

    @property
    def on_time(self) -> bool:
        return self.applicant.on_time

    @property
    def success(self) -> bool:
        return self.status == 302 and self.location.endswith(
            f"/applications/{self.applicant.application_id}/receipt/"
        )


def submit(port: int, result: Result, deadline_mono: float) -> Result:
    a = result.applicant
    result.sent = time.monotonic() - deadline_mono
    try:
        status, headers, body, elapsed = request(
            "POST",
            port,
            f"/{LANG}/applications/{a.application_id}/submit/",
            cookies={"sessionid": a.session_key, "csrftoken": a.csrf_cookie},
            form={"csrfmiddlewaretoken": a.csrf_token},
        )
        result.status, result.latency = status, elapsed
        result.location = (headers.get("location") or [""])[0]
        if 400 <= status < 500:
            result.body = body
    except Exception as error:  # a lost answer is a finding, not a crash
        result.error = f"{type(error).__name__}: {error}"
        result.latency = time.monotonic() - deadline_mono - result.sent
    return result


def schedule(args: argparse.Namespace, applicants: list[Applicant]) -> list[Result]:
    """Send times relative to the deadline: on time in [-window, 0), late in (0, late_window]."""
    on_time = [a for a in applicants if a.on_time]
    late = [a for a in applicants if not a.on_time]
    plan: list[Result] = []
    step = args.window / len(on_time)
    for i, a in enumerate(on_time):
        t = -args.window + i * step  # first at -window, last at -step
        plan.append(Result(a, 1, t))
        if a.double_click:
            plan.append(Result(a, 2, t + args.double_click_gap))
    if late:
        late_step = args.late_window / len(late)
        for i, a in enumerate(late):
            plan.append(Result(a, 1, (i + 1) * late_step))  # first at +step, last at +window
    plan.sort(key=lambda r: r.scheduled)
    return plan


class LockSampler(threading.Thread):
    """Samples the bench database's lock waits: which kind of lock, on which table, how many.

    `advisory` is the audit chain's lock; `transactionid` is a wait for another transaction's
    row lock; `tuple <table>` is the queue behind the first waiter on one row of that table.
    `advisory held` is not a wait: the share of samples in which some transaction holds the
    audit lock is how busy that serial section is (near 100 %, it limits throughput).
    """

    SQL = """
        SELECT l.locktype, coalesce(l.relation::regclass::text, ''), l.granted, count(*)
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.datname = %s AND (NOT l.granted OR l.locktype = 'advisory')
        GROUP BY 1, 2, 3
    """

    def __init__(self, dbname: str, interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.dbname, self.interval = dbname, interval
        self.stop_event = threading.Event()
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.error = ""

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(
                f"postgres://postgres@{HOST}:5432/{self.dbname}", autocommit=True
            ) as conn:
                while not self.stop_event.is_set() and len(self.samples) < SAMPLER_MAX_SAMPLES:
                    rows = conn.execute(self.SQL, [self.dbname]).fetchall()
                    waits = {
                        f"{kind} {table}".strip() if not granted else "advisory held": n
                        for kind, table, granted, n in rows
                    }
                    self.samples.append((time.monotonic(), waits))
                    self.stop_event.wait(self.interval)
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"


class CpuMeter:
    """CPU used on the whole machine versus by this benchmark's own processes (itself,
    gunicorn's master and workers, the bench database's backends), between start and stop:
    the difference is other work that competed for the cores during the burst."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, dbname: str, gunicorn_pid: int) -> None:
        self.dbname, self.gunicorn_pid = dbname, gunicorn_pid
        self.start_busy = self.start_wall = math.nan
        self.start_pids: dict[int, float] = {}
        self.other_cores = self.machine_cores = self.own_cores = math.nan

    @classmethod
    def machine_busy(cls) -> float:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return (sum(fields[:8]) - idle) / cls.TICK

    @classmethod
    def process_cpu(cls, pid: int) -> float | None:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        rest = stat.rsplit(")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / cls.TICK  # utime + stime

    def own_pids(self) -> set[int]:
        pids = {os.getpid(), self.gunicorn_pid}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    rest = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(rest[1]) == self.gunicorn_pid:
                        pids.add(int(entry.name))
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.dbname]
            ).fetchall()
        return pids | {row[0] for row in rows}

    def snapshot(self) -> dict[int, float]:
        cpu = {pid: self.process_cpu(pid) for pid in self.own_pids()}
        return {pid: value for pid, value in cpu.items() if value is not None}

    def start(self) -> None:
        self.start_pids = self.snapshot()
        self.start_busy, self.start_wall = self.machine_busy(), time.monotonic()

    def stop(self) -> None:
        if math.isnan(self.start_wall):
            return
        busy, wall = self.machine_busy(), time.monotonic()
        end_pids = self.snapshot()
        elapsed = max(wall - self.start_wall, 1e-6)
        own = sum(value - self.start_pids.get(pid, 0.0) for pid, value in end_pids.items())
        self.machine_cores = (busy - self.start_busy) / elapsed
        self.own_cores = own / elapsed
        self.other_cores = max(0.0, self.machine_cores - self.own_cores)


def fire(
    args: argparse.Namespace,
    port: int,
    plan: list[Result],
    deadline_mono: float,
    meter: CpuMeter | None = None,
) -> list[Result]:
    """Hand each request to the pool at its scheduled time (monotonic clock)."""
    futures: list[concurrent.futures.Future[Result]] = []
    if args.clients == 0:
        args.clients = len(plan)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
        for result in plan:  # bounded: len(plan) iterations
            delay = deadline_mono + result.scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if meter is not None and not futures:
                meter.start()
            futures.append(pool.submit(submit, port, result, deadline_mono))
        _done, not_done = concurrent.futures.wait(futures, timeout=BURST_GRACE_S + HTTP_TIMEOUT_S)
        for future in not_done:
            future.cancel()
    for result in plan:
        if result.status == 0 and not result.error:
            result.error = "no answer within the burst's time limit"
    return plan


# --------------------------------------------------------------------------- checks


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Figures:
    on_time: int = 0
    late: int = 0
    double_clicked: int = 0
    requests: int = 0
    accepted: int = 0
    refused: int = 0
    duplicates: int = 0
    lost: int = 0
    late_accepted: int = 0
    unconfirmed: int = 0  # submitted, but the client never saw a success answer
    refusals_not_deadline: int = 0  # 4xx answers without the deadline message
    stamped_after_deadline: int = 0  # accepted, but submitted_at >= closes_at
    on_time_statuses: dict[str, int] = field(default_factory=dict)
    late_statuses: dict[str, int] = field(default_factory=dict)
    p50: float = math.nan
    p95: float = math.nan
    p99: float = math.nan
    max: float = math.nan
    late_p99: float = math.nan
    max_send_lag_ms: float = math.nan
    last_on_time_sent_ms: float = math.nan
    min_margin_ms: float = math.nan  # deadline minus the latest accepted submitted_at
    receipts_unique: bool = True
    audit_ok: bool = False
    audit_output: str = ""
    advisory_waiters_max: int = 0
    advisory_waiting_share: float = 0.0
    advisory_held_share: float = 0.0  # share of samples in which the audit lock was held
    advisory_hold_ms: float = math.nan  # held time over the on-time phase / accepted submissions
    lock_phase_s: float = 0.0  # the on-time phase the lock figures cover
    # Per kind of lock: (most waiters seen at once, share of samples with any waiter).
    lock_waits: dict[str, tuple[int, float]] = field(default_factory=dict)
    sampler_samples: int = 0
    loadavg_start: float = math.nan  # 1-minute load average when the script started
    # Average cores busy during the burst: the whole machine, this benchmark, everything else.
    machine_cores: float = math.nan
    own_cores: float = math.nan
    other_cores: float = math.nan
    server_errors_in_log: int = 0
    receipt_emails_in_log: int = 0
    receipt_notifications: int = 0  # submission-receipt notifications for the applicants
    receipt_notification_duplicates: int = 0  # applications with more than one
    problems: list[str] = field(default_factory=list)

    def ok(self) -> bool:
        return not self.problems


def check(
    args: argparse.Namespace,
    applicants: list[Applicant],
    results: list[Result],
    closes_at: dt.datetime,
    sampler: LockSampler,
    deadline_mono: float,
) -> Figures:
    from django.db.models import Count, Q

    from baiqau.applications.models import Application, ApplicationStatus
    from baiqau.audit.models import AuditEvent

    f = Figures(
        on_time=sum(a.on_time for a in applicants),
        late=sum(not a.on_time for a in applicants),
        double_clicked=sum(a.double_click for a in applicants),
        requests=len(results),
    )
    ids = [a.application_id for a in applicants]
    rows = {
        row["pk"]: row
        for row in Application.objects.filter(pk__in=ids)
        .annotate(n_versions=Count("versions"))
        .values("pk", "status", "receipt_number", "submitted_at", "n_versions")
    }
    submitted_events: dict[int, int] = {}
    for row in (
        AuditEvent.objects.filter(
            action="application.submitted",
            subject_type="applications.application",
            subject_id__in=[str(i) for i in ids],
        )
        .values("subject_id")
        .annotate(n=Count("seq"))
    ):
        submitted_events[int(row["subject_id"])] = row["n"]
    resubmitted = AuditEvent.objects.filter(
        Q(action="application.resubmitted"), subject_id__in=[str(i) for i in ids]
    ).count()

    by_applicant: dict[int, list[Result]] = {}
    for r in results:
        by_applicant.setdefault(r.applicant.index, []).append(r)

    from django.utils import translation
    from django.utils.html import escape
    from django.utils.translation import gettext

    with translation.override(LANG):
        deadline_message = escape(
            gettext("The deadline for this call has passed; your draft is kept.")
        ).encode()
    f.refusals_not_deadline = sum(
        1 for r in results if 400 <= r.status < 500 and deadline_message not in r.body
    )

    margins = []
    submitted_total = 0
    for a in applicants:
        row = rows[a.application_id]
        n_versions, n_events = row["n_versions"], submitted_events.get(a.application_id, 0)
        submitted = row["status"] == ApplicationStatus.SUBMITTED
        mine = by_applicant.get(a.index, [])
        submitted_total += submitted
        if n_versions > 1 or n_events > 1:
            f.duplicates += 1
        if submitted and not any(r.success for r in mine):
            f.unconfirmed += 1
        if a.on_time:
            if submitted and n_versions == 1 and n_events == 1 and row["receipt_number"]:
                f.accepted += 1
                margins.append((closes_at - row["submitted_at"]).total_seconds())
                if row["submitted_at"] >= closes_at:
                    f.stamped_after_deadline += 1
            if not submitted and not any(r.success for r in mine):
                f.lost += 1
        else:
            if submitted:
                f.late_accepted += 1
            elif mine and all(r.status == 400 for r in mine):
                f.refused += 1
    from baiqau.notifications.models import Notification, NotificationKind

    per_application = list(
        Notification.objects.filter(
            kind=NotificationKind.SUBMISSION_RECEIPT, application_id__in=ids
        )
        .values("application_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    f.receipt_notifications = sum(per_application)
    f.receipt_notification_duplicates = sum(1 for n in per_application if n > 1)
    receipts = [r["receipt_number"] for r in rows.values() if r["receipt_number"]]
    f.receipts_unique = len(receipts) == len(set(receipts))

    def statuses(selected: list[Result]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in selected:
            key = str(r.status) if not r.error else "error"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

    on_time_results = [r for r in results if r.on_time]
    late_results = [r for r in results if not r.on_time]
    f.on_time_statuses = statuses(on_time_results)
    f.late_statuses = statuses(late_results)
    latencies = [r.latency for r in on_time_results if not r.error]
    f.p50, f.p95, f.p99 = (percentile(latencies, p) for p in (50, 95, 99))
    f.max = max(latencies) if latencies else math.nan
    f.late_p99 = percentile([r.latency for r in late_results if not r.error], 99)
    f.max_send_lag_ms = 1000 * max(r.sent - r.scheduled for r in results)
    f.last_on_time_sent_ms = 1000 * max(r.sent for r in on_time_results if r.click == 1)
    f.min_margin_ms = 1000 * min(margins) if margins else math.nan

    # Locks are read over the on-time phase: from the first on-time send to the last on-time
    # answer (late submissions are refused before they reach any lock).
    answered = [r for r in on_time_results if not r.error]
    start = deadline_mono + min(r.sent for r in on_time_results)
    end = deadline_mono + max((r.sent + r.latency for r in answered), default=0.0)
    samples = [s for s in sampler.samples if start <= s[0] <= end]
    f.sampler_samples = len(samples)
    f.lock_phase_s = max(end - start, 0.0)
    if samples:
        kinds = sorted({kind for _, waits in samples for kind in waits} - {"advisory held"})
        for kind in kinds:
            counts = [waits.get(kind, 0) for _, waits in samples]
            f.lock_waits[kind] = (max(counts), sum(1 for n in counts if n) / len(counts))
        f.advisory_waiters_max, f.advisory_waiting_share = f.lock_waits.get("advisory", (0, 0.0))
        f.advisory_held_share = sum(1 for _, w in samples if w.get("advisory held")) / len(samples)
        if f.accepted:
            f.advisory_hold_ms = 1000 * f.advisory_held_share * f.lock_phase_s / f.accepted

    # Targets.
    if f.accepted != f.on_time:
        f.problems.append(f"accepted {f.accepted} of {f.on_time} on-time applicants")
    if f.refused != f.late:
        f.problems.append(f"refused {f.refused} of {f.late} late applicants")
    if f.duplicates:
        f.problems.append(f"{f.duplicates} applications with more than one version or event")
    if f.receipt_notifications != submitted_total:
        f.problems.append(
            f"{f.receipt_notifications} receipt notifications for "
            f"{submitted_total} submitted applications"
        )
    if f.receipt_notification_duplicates:
        f.problems.append(f"{f.receipt_notification_duplicates} applications notified twice")
    if resubmitted:
        f.problems.append(f"{resubmitted} application.resubmitted events")
    if f.lost:
        f.problems.append(f"{f.lost} on-time submissions lost")
    if f.late_accepted:
        f.problems.append(f"{f.late_accepted} late submissions accepted")
    if not f.receipts_unique:
        f.problems.append("receipt numbers are not unique")
    if not f.p99 < args.p99_target:
        f.problems.append(f"on-time p99 {f.p99:.3f} s is not under {args.p99_target} s")
    if f.refusals_not_deadline:
        f.problems.append(
            f"{f.refusals_not_deadline} refusals for a reason other than the deadline"
        )
    errors = sum(1 for r in results if r.error or r.status >= 500)
    if errors:
        f.problems.append(f"{errors} requests failed or answered 5xx")
    if f.last_on_time_sent_ms >= 0 or f.max_send_lag_ms > 100:
        f.problems.append(
            f"client could not keep the schedule (max lag {f.max_send_lag_ms:.0f} ms): "
            "the figures do not measure what they claim"
        )
    return f


# --------------------------------------------------------------------------- report


def machine() -> str:
    mem = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f", {round(int(line.split()[1]) / 1024 / 1024)} GiB"
    return f"{os.cpu_count()} cores{mem}, {platform.system()} {platform.machine()}"


def revision() -> str:
    """The code measured: HEAD, and whether the working tree had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "baiqau"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head} + uncommitted changes in baiqau/" if dirty else head


def today() -> str:
    return dt.datetime.now().astimezone().date().isoformat()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def print_summary(args: argparse.Namespace, f: Figures, gunicorn: str) -> None:
    print()
    print("Deadline burst")
    print(f"  machine      {machine()}; {gunicorn}; PostgreSQL on {HOST}:5432")
    print(f"  code         {args.revision} (when gunicorn started)")
    print(
        f"  load         {f.on_time} on time over {args.window:g} s "
        f"({f.double_clicked} double-clicked {args.double_click_gap * 1000:.0f} ms apart), "
        f"{f.late} late over {args.late_window:g} s; {f.requests} requests, "
        f"{args.clients} client threads"
    )
    print(
        f"  machine load during the burst {f.machine_cores:.2f} of {os.cpu_count()} cores busy: "
        f"{f.own_cores:.2f} this benchmark, {f.other_cores:.2f} other work "
        f"(load average {f.loadavg_start:.2f} at start)"
    )
    if f.other_cores > 0.25:
        print("               other work competed for the cores: these figures understate capacity")
    print(f"  accepted     {f.accepted} / {f.on_time}")
    print(f"  refused      {f.refused} / {f.late}")
    print(f"  duplicates   {f.duplicates}")
    print(f"  lost         {f.lost}")
    print(f"  late accepted {f.late_accepted}")
    print(f"  unconfirmed  {f.unconfirmed} (submitted without a success answer)")
    print(f"  answers      on time {f.on_time_statuses}; late {f.late_statuses}")
    print(
        f"  refusals     {f.refusals_not_deadline} 4xx answers without the deadline message; "
        f"{f.stamped_after_deadline} accepted applications stamped at or after the deadline"
    )
    print(
        f"  latency      on time p50 {ms(f.p50)}, p95 {ms(f.p95)}, p99 {ms(f.p99)}, "
        f"max {ms(f.max)}; late p99 {ms(f.late_p99)}"
    )
    print(
        f"  schedule     max client send lag {f.max_send_lag_ms:.1f} ms; last on-time send "
        f"{f.last_on_time_sent_ms:+.1f} ms from the deadline; latest accepted "
        f"submitted_at {-f.min_margin_ms:+.1f} ms from it"
    )
    print(
        f"  audit lock   over the on-time phase ({f.lock_phase_s:.1f} s, {f.sampler_samples} "
        f"samples): held {f.advisory_held_share:.1%} of the time, about "
        f"{f.advisory_hold_ms:.1f} ms per submission; waiters max {f.advisory_waiters_max}, "
        f"some waiting {f.advisory_waiting_share:.1%} of the time"
    )
    others = ", ".join(f"{kind} max {n} ({share:.0%})" for kind, (n, share) in f.lock_waits.items())
    print(f"  lock waits   {others or 'none seen'} (most waiters at once, share of samples)")
    print(f"  audit verify {'ok' if f.audit_ok else 'FAILED'}: {f.audit_output}")
    print(
        f"  receipts     {f.receipt_notifications} receipt notifications "
        f"({f.receipt_notification_duplicates} applications with more than one); "
        f"{f.receipt_emails_in_log} e-mails in the server log (TASK_BACKEND={args.task_backend})"
    )
    print(f"  server log   {f.server_errors_in_log} tracebacks")
    print(f"  result       {'all targets met' if f.ok() else 'MISSED: ' + '; '.join(f.problems)}")


def command_text(args: argparse.Namespace) -> str:
    text = ".venv/bin/python bench/deadline_burst.py"
    defaults = {"workers": 3, "threads": 4, "window": 10.0, "on_time": 200, "late": 50}
    for name, default in defaults.items():
        value = getattr(args, name)
        if value != default:
            text += f" --{name.replace('_', '-')} {value:g}"
    return text + " --record"


def record(args: argparse.Namespace, f: Figures, gunicorn: str) -> None:
    """Insert one row at the end of the first table of docs/benchmarks.md."""
    what = (
        f"Deadline burst: {f.on_time} on-time submits in the last {args.window:g} s "
        f"({f.double_clicked} double-clicked), {f.late} late over {args.late_window:g} s; "
        f"`{gunicorn}`, PostgreSQL 15, {machine()}; code {args.revision}"
    )
    result = (
        f"accepted {f.accepted}/{f.on_time}, refused {f.refused}/{f.late}, "
        f"duplicates {f.duplicates}, lost {f.lost}, late accepted {f.late_accepted}; "
        f"on-time p50 {ms(f.p50)}, p95 {ms(f.p95)}, p99 {ms(f.p99)}, max {ms(f.max)}; "
        f"audit lock held {f.advisory_held_share:.0%} of the on-time phase "
        f"(~{f.advisory_hold_ms:.0f} ms a submission), waiters max "
        f"{f.advisory_waiters_max} ({f.advisory_waiting_share:.0%} of samples); other work during the burst "
        f"{f.other_cores:.1f} cores; audit verify "
        f"{'ok' if f.audit_ok else 'FAILED'}; {'targets met' if f.ok() else 'TARGETS MISSED'}"
    )
    row = f"| {what} | `{command_text(args)}` | {result} | {today()} |"
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| what |"))
    end = header
    while end + 1 < len(lines) and lines[end + 1].startswith("|"):
        end += 1
    lines.insert(end + 1, row)
    DOCS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"added a row to {DOCS.relative_to(ROOT)}")


# --------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    loadavg_start = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="baiqau-bench-"))
    db_url = f"postgres://postgres@{HOST}:5432/{args.db}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baiqau.settings",
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        # The same key in-process and in gunicorn: sessions are signed and the session auth
        # hash is an HMAC under it.
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CONN_MAX_AGE": "60",
        "TASK_BACKEND": args.task_backend,
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CACHE_URL", None)  # one cache per worker is enough here; nothing rate-limited
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))  # baiqau and tests.factories

    proc: subprocess.Popen[bytes] | None = None
    sampler: LockSampler | None = None
    server_log = data_dir / "gunicorn.log"
    exit_code = 2
    try:
        t0 = time.monotonic()
        log(f"creating database {args.db}")
        recreate_database(args.db)
        for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            done = run_baiqau(step, env)
            if done.returncode != 0:
                raise RuntimeError(f"baiqau {step[0]} failed:\n{done.stdout}\n{done.stderr}")
        log(f"migrated and collected static files in {time.monotonic() - t0:.1f} s")

        import django

        django.setup()
        t1 = time.monotonic()
        call_pk, applicants = setup_data(args)
        log(f"{len(applicants)} applicants with complete drafts in {time.monotonic() - t1:.1f} s")

        port = free_port()
        args.revision = revision()
        with server_log.open("wb") as logfile:
            proc = start_gunicorn(args, env, port, logfile)
        gunicorn = gunicorn_command_text(args)
        log(f"started {gunicorn} on {HOST}:{port}, PID {proc.pid}")
        wait_healthy(port, proc)

        t2 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            get_latencies = list(
                pool.map(lambda a: fetch_csrf(port, a), applicants, timeout=SETUP_GET_DEADLINE_S)
            )
        log(
            f"{len(applicants)} review pages fetched in {time.monotonic() - t2:.1f} s "
            f"(p50 {ms(percentile(get_latencies, 50))}, max {ms(max(get_latencies))})"
        )

        plan = schedule(args, applicants)
        sampler = LockSampler(args.db)
        sampler.start()
        deadline_epoch = time.time() + args.lead
        deadline_mono = time.monotonic() + args.lead
        closes_at = set_deadline(call_pk, deadline_epoch)
        from django.db import connections

        connections.close_all()  # the idle setup connection plays no part in the burst
        log(
            f"deadline set to {closes_at.isoformat(timespec='milliseconds')}, "
            f"{args.lead:g} s ahead; firing {len(plan)} requests"
        )
        meter = CpuMeter(args.db, proc.pid)
        results = fire(args, port, plan, deadline_mono, meter)
        burst_end = time.monotonic()
        meter.stop()
        sampler.stop_event.set()
        sampler.join(timeout=5)
        log(f"burst done {burst_end - deadline_mono:.1f} s after the deadline")

        figures = check(args, applicants, results, closes_at, sampler, deadline_mono)
        figures.loadavg_start = loadavg_start
        figures.machine_cores, figures.own_cores = meter.machine_cores, meter.own_cores
        figures.other_cores = meter.other_cores
        if sampler.error:
            figures.problems.append(f"lock sampler failed: {sampler.error}")
        verify = run_baiqau(["audit", "verify"], env)
        figures.audit_ok = verify.returncode == 0
        figures.audit_output = (verify.stdout + verify.stderr).strip().splitlines()[-1:][0]
        if not figures.audit_ok:
            figures.problems.append("audit verify failed")

        stop_gunicorn(proc)
        text = server_log.read_text(encoding="utf-8", errors="replace")
        figures.server_errors_in_log = text.count("Traceback")
        figures.receipt_emails_in_log = len(re.findall(r"^To: ", text, flags=re.MULTILINE))
        print_summary(args, figures, gunicorn)
        if args.json:
            payload: dict[str, Any] = dict(figures.__dict__)
            payload.update(
                gunicorn=gunicorn,
                machine=machine(),
                command=command_text(args),
                date=today(),
                requests=[
                    {
                        "application": r.applicant.application_id,
                        "on_time": r.on_time,
                        "click": r.click,
                        "scheduled": r.scheduled,
                        "sent": r.sent,
                        "status": r.status,
                        "latency": r.latency,
                        "error": r.error,
                    }
                    for r in results
                ],
            )
            args.json.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
        if args.record:
            record(args, figures, gunicorn)
        exit_code = 0 if figures.ok() else 1
    except Exception as error:
        log(f"the benchmark could not run: {type(error).__name__}: {error}")
        if server_log.exists():
            tail = server_log.read_text(encoding="utf-8", errors="replace")[-3000:]
            print(f"--- gunicorn log (tail) ---\n{tail}", file=sys.stderr)
        exit_code = 2
    finally:
        if sampler is not None:
            sampler.stop_event.set()
        if proc is not None:
            stop_gunicorn(proc)
            log(f"stopped gunicorn PID {proc.pid}")
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if args.keep_db:
            log(f"kept database {args.db}")
        else:
            try:
                drop_database(args.db)
                log(f"dropped database {args.db}")
            except Exception as error:
                log(f"could not drop {args.db}: {error}")
        shutil.rmtree(data_dir, ignore_errors=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
