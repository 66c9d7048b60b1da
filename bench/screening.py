"""Screening list, dashboard and exports with 20,000 applications in one call (PostgreSQL).

Run from the project folder (PostgreSQL on 127.0.0.1:5432, trust authentication):

    .venv/bin/python bench/screening.py            # measure and print
    .venv/bin/python bench/screening.py --record   # ... and add rows to docs/benchmarks.md

What it does:

1. Drops and creates the database `baiqau_bench_screening`, migrates it and collects static
   files into a temporary DATA_DIR (DEBUG=0 renders `{% static %}` through the manifest).
2. Bulk-creates one call with N submitted applications (default 20,000; Kazakh and Russian
   titles, summaries and target groups, `search_text` computed as `Application.save` does),
   each from its own organisation, and a second call with 10, then ANALYZEs.
3. With Django's test Client, logged in as an organiser of both calls (STAFF_REQUIRE_MFA=0),
   times the screening list (`/kk/manage/calls/<slug>/applications/`): no filter, a status,
   a search word, sorted by amount, page 200; `--runs` timed runs each after 2 warm-ups, median
   and p95. Also the dashboard (charts drawn, then from the cache) and a streamed CSV export
   of the ~1,000 ineligible applications. Query counts are compared between the 10-row and
   the N-row call: they must be equal.
4. Runs the background export task (CSV, then XLSX) of all N applications in a fresh child
   process each, reporting its time, its peak RSS (ru_maxrss), the RSS before the task, and
   in a third child the peak of Python allocations (tracemalloc).
5. Prints EXPLAIN ANALYZE for every list query of a scenario that misses its target (or for
   all with --explain), drops the database. Exit status 1 if a target is missed.

Targets: every list page under 300 ms (p95), the same number of queries for 10 and N rows,
the background CSV export of all N under 200 MB peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DOCS = ROOT / "docs" / "benchmarks.md"
LIST_TARGET_MS = 300.0
EXPORT_TARGET_MB = 200.0
CHILD_TIMEOUT_S = 600

# --------------------------------------------------------------------------- realistic text

TOPICS_KK = [
    ("инклюзивті спорт", "спорт"),
    ("цифрлық сауаттылық", "сауаттылық"),
    ("ерте даму орталығы", "даму"),
    ("психологиялық қолдау", "қолдау"),
    ("кәсіптік бағдар", "бағдар"),
    ("экологиялық білім", "экология"),
    ("отбасылық медиация", "медиация"),
    ("қарттарға үйде күтім", "күтім"),
    ("жасөспірімдер клубы", "клуб"),
    ("тұрмыстық зорлық-зомбылықтың алдын алу", "алдын алу"),
]
TOPICS_RU = [
    "инклюзивный спорт",
    "цифровая грамотность",
    "центр раннего развития",
    "психологическая поддержка",
    "профориентация",
    "экологическое просвещение",
    "семейная медиация",
    "уход за пожилыми на дому",
    "клуб для подростков",
    "профилактика бытового насилия",
]
PLACES_KK = ["Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Павлодар", "Түркістан"]
PLACES_RU = ["Алматы", "Астаны", "Шымкента", "Караганды", "Актобе", "Павлодара", "Туркестана"]
GROUPS = [
    ("Мүгедектігі бар балалар", "Дети с инвалидностью"),
    ("Жасөспірімдер", "Подростки"),
    ("Қарт адамдар", "Пожилые люди"),
    ("Көп балалы отбасылар", "Многодетные семьи"),
    ("Ауыл жастары", "Сельская молодёжь"),
    ("Зорлық-зомбылықтан зардап шеккен әйелдер", "Женщины, пострадавшие от насилия"),
    ("Мүгедектігі бар адамдар", "Люди с инвалидностью"),
    ("Жетім балалар", "Дети-сироты"),
]
SENTENCES_KK = [
    "Жоба {place} қаласында {group} үшін тұрақты қызмет көрсетуге бағытталған.",
    "Біз жыл бойы апта сайын тегін сабақтар мен кеңестер ұйымдастырамыз.",
    "Еріктілер мен мамандар бірлесіп жұмыс істейді, нәтижелер ашық жарияланады.",
    "Жергілікті әкімдікпен және мектептермен серіктестік келісімдері бар.",
    "Қатысушылардың өмір сапасы мен әлеуметтік белсенділігі артады деп күтеміз.",
    "Жоба аяқталғаннан кейін қызмет ұйымның өз қаражатынан жалғасады.",
]
SENTENCES_RU = [
    "Проект направлен на постоянную помощь для группы «{group}» в городе {place}.",
    "Мы проводим бесплатные занятия и консультации каждую неделю в течение года.",
    "Волонтёры и специалисты работают вместе, результаты публикуются открыто.",
    "Есть соглашения о партнёрстве с местным акиматом и школами.",
    "Ожидаем рост качества жизни и социальной активности участников.",
    "После завершения проекта работа продолжится на собственные средства организации.",
]
STATUSES = [
    ("submitted", 40),
    ("screening", 20),
    ("eligible", 15),
    ("clarification", 5),
    ("ineligible", 5),
    ("in_review", 10),
    ("withdrawn", 5),
]
ORG_TYPES = [("ngo", 70), ("dpo", 15), ("state_social", 5), ("other", 10)]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%SZ', time.gmtime())}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=20_000, help="applications in the big call")
    p.add_argument("--runs", type=int, default=20, help="timed runs per list scenario")
    p.add_argument("--db", default="baiqau_bench_screening", help="database to create and drop")
    p.add_argument("--seed", type=int, default=20260322)
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE every list query")
    p.add_argument("--keep-db", action="store_true", help="do not drop the database afterwards")
    p.add_argument("--record", action="store_true", help="add rows to docs/benchmarks.md")
    # Internal: one export in a child process, for a clean peak-memory figure.
    p.add_argument("--export-child", nargs=2, metavar=("FMT", "CALL_PK"), help=argparse.SUPPRESS)
    p.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if not 10 <= args.rows <= 200_000:
        p.error("--rows must be 10..200000")
    if not 3 <= args.runs <= 500:
        p.error("--runs must be 3..500")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.db) or args.db in {
        "postgres",
        "test",
        "root",
    }:
        p.error("--db must be a plain, dedicated database name")
    return args


# --------------------------------------------------------------------------- database


def admin_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def environment(db: str, data_dir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "STAFF_REQUIRE_MFA": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "TASK_BACKEND": "immediate",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "baiqau.settings",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --------------------------------------------------------------------------- data


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def make_bins(n: int) -> list[str]:
    from baiqau.domain.identifiers import check_digit

    bins: list[str] = []
    serial = 0
    while len(bins) < n:
        serial += 1
        year, month = 5 + serial % 15, 1 + serial % 12
        first11 = f"{year:02d}{month:02d}4{serial:06d}"
        if check_digit(first11) is not None:
            bins.append(f"{first11}{check_digit(first11)}")
    return bins


def build_call(slug: str, rows: int, rng: random.Random, bins: list[str]) -> Any:
    """A closed call with `rows` submitted applications, each from its own organisation."""
    from django.db import transaction

    from baiqau.applications.models import Application
    from baiqau.calls.models import AwardScheme, Call, CallStatus
    from baiqau.organisations.models import Organisation

    closes = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
    call = Call.objects.create(
        slug=slug,
        title_kk="Әлеуметтік жобалар байқауы 2026",
        title_ru="Конкурс социальных проектов 2026",
        title_en="Social projects call 2026",
        status=CallStatus.CLOSED,
        opens_at=closes - timedelta(days=30),
        closes_at=closes,
        review_ends_at=closes + timedelta(days=30),
        results_at=closes + timedelta(days=40),
        award_scheme=AwardScheme.POOL,
        pool_amount=2_000_000_000,
        max_per_project=20_000_000,
    )
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            (
                Organisation(
                    bin=bins.pop(),
                    org_type=weighted(rng, ORG_TYPES),
                    name_kk=f"«{rng.choice(PLACES_KK)} {rng.choice(TOPICS_KK)[1]}» қоғамдық бірлестігі {i}",
                    name_ru=f"Общественное объединение «{rng.choice(TOPICS_RU)}» {i}",
                )
                for i in range(rows)
            ),
            batch_size=2000,
        )
        applications = []
        for i, organisation in enumerate(organisations):
            applications.append(application_for(call, organisation, i, rng, closes))
        Application.objects.bulk_create(applications, batch_size=2000)
    return call


def application_for(
    call: Any, organisation: Any, i: int, rng: random.Random, closes: datetime
) -> Any:
    from baiqau.applications.models import Application

    t = rng.randrange(len(TOPICS_KK))
    p = rng.randrange(len(PLACES_KK))
    g = rng.randrange(len(GROUPS))
    kazakh = rng.random() < 0.6
    fields: dict[str, Any] = {}
    if kazakh:
        fields["title_kk"] = f"{PLACES_KK[p]}: {GROUPS[g][0].lower()} үшін {TOPICS_KK[t][0]}"
        fields["summary_kk"] = " ".join(
            s.format(place=PLACES_KK[p], group=GROUPS[g][0].lower())
            for s in rng.sample(SENTENCES_KK, 4)
        )
        fields["target_group_kk"] = GROUPS[g][0]
    else:
        fields["title_ru"] = f"{TOPICS_RU[t].capitalize()} в городе {PLACES_RU[p]}"
        fields["summary_ru"] = " ".join(
            s.format(place=PLACES_RU[p], group=GROUPS[g][1].lower())
            for s in rng.sample(SENTENCES_RU, 4)
        )
        fields["target_group_ru"] = GROUPS[g][1]
    # Submissions pile up towards the deadline, as they do.
    before = timedelta(days=30 * rng.random() ** 2.5)
    application = Application(
        call=call,
        organisation=organisation,
        language="kk" if kazakh else "ru",
        status=weighted(rng, STATUSES),
        receipt_number=f"BQ-{call.pk:04d}-{i + 1:07d}",
        submitted_at=closes - before,
        requested_amount=rng.randrange(50, 2000) * 10_000,
        beneficiaries_count=rng.randrange(10, 500),
        **fields,
    )
    # bulk_create skips save(): the same text Application.save puts in search_text.
    application.search_text = " ".join(
        str(getattr(application, f"{base}_{code}") or "")
        for base in ("title", "summary", "target_group")
        for code in ("kk", "ru", "en")
    ).lower()
    return application


# --------------------------------------------------------------------------- measurements


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed_get(client: Any, url: str) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return (time.perf_counter() - start) * 1000, response.status_code, body


def capture(client: Any, url: str) -> list[dict[str, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        _ms, status, _body = timed_get(client, url)
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    return list(context.captured_queries)


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_page(client: Any, url: str, runs: int) -> dict[str, Any]:
    for _ in range(2):
        timed_get(client, url)
    times = []
    for _ in range(runs):
        ms, status, _body = timed_get(client, url)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}")
        times.append(ms)
    return {"median": statistics.median(times), "p95": percentile(times, 0.95), "max": max(times)}


def run_export_child(fmt: str, call_pk: int, env: dict[str, str], *, trace: bool) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--export-child", fmt, str(call_pk)]
    if trace:
        command.append("--tracemalloc")
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"export child failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_child(fmt: str, call_pk: int, trace: bool) -> None:
    """In a fresh process: run the background export task once and report time and memory."""
    import gc
    import tracemalloc

    import openpyxl  # noqa: F401  (imported up front: the task's own code is what is measured)
    from django.core.files.storage import default_storage
    from django_tasks import TaskResultStatus

    from baiqau.applications.exports import filters_to_json
    from baiqau.applications.screening_selectors import ScreeningFilters
    from baiqau.applications.tasks import export_applications
    from baiqau.calls.models import Call

    Call.objects.get(pk=call_pk)  # connects to the database before the baseline
    gc.collect()
    setup_peak = proc_status_mb("VmHWM")
    rss_before = proc_status_mb("VmRSS")
    # ru_maxrss is no use here: Linux carries the parent's peak into a child across fork and
    # exec. VmHWM belongs to this process image; writing 5 to clear_refs resets it to the
    # current RSS, so what it reads after the task is the task's own peak.
    reset = reset_peak()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = export_applications.enqueue(call_pk, fmt, filters_to_json(ScreeningFilters()), "kk")
    seconds = time.perf_counter() - start
    peak_python = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if trace else None
    if result.status != TaskResultStatus.SUCCESSFUL:
        raise SystemExit(f"export task failed: {result.errors}")
    value = result.return_value or {}
    print(
        json.dumps(
            {
                "fmt": fmt,
                "rows": value["rows"],
                "bytes": default_storage.size(value["name"]),
                "seconds": seconds,
                "rss_before_mb": rss_before,
                "setup_peak_mb": setup_peak,
                "peak_reset": reset,
                "task_peak_mb": proc_status_mb("VmHWM"),
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "tracemalloc_peak_mb": peak_python,
            }
        )
    )


def proc_status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def machine() -> str:
    cores = os.cpu_count() or 0
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cores} cores{memory}, Python {platform.python_version()}"


# --------------------------------------------------------------------------- main


def measure(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from baiqau.calls.models import CallRole

    log("migrating and collecting static files")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    rng = random.Random(args.seed)
    bins = make_bins(args.rows + 20)
    log(f"creating {args.rows} applications")
    started = time.perf_counter()
    big = build_call("bench-big", args.rows, rng, bins)
    small = build_call("bench-small", 10, rng, bins)
    log(f"created in {time.perf_counter() - started:.1f} s; ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    user = get_user_model().objects.create(email="organiser@bench.example", full_name="Bench")
    for call in (big, small):
        CallRole.objects.create(call=call, user=user, role="organiser")
    client = Client()
    client.force_login(user)

    word = "медиация"
    scenarios = {
        "no filter": "",
        "status=eligible": "?status=eligible",
        f"search «{word}»": f"?q={word}",
        "sorted by amount": "?sort=-amount",
        "page 200": "?page=200",
    }
    figures: dict[str, Any] = {"pg": pg_version, "lists": {}, "problems": []}
    for name, query in scenarios.items():
        url = f"/kk/manage/calls/{big.slug}/applications/{query}"
        timing = measure_page(client, url, args.runs)
        few = capture(client, f"/kk/manage/calls/{small.slug}/applications/{query}")
        many = capture(client, url)
        slowest = max(many, key=lambda q: float(q["time"]))
        timing.update(
            queries_small=len(few),
            queries_big=len(many),
            slowest_sql_ms=float(slowest["time"]) * 1000,
        )
        figures["lists"][name] = timing
        log(
            f"list {name:<22} median {timing['median']:6.1f} ms  p95 {timing['p95']:6.1f} ms  "
            f"queries {len(few)} (10 rows) / {len(many)} ({args.rows} rows), slowest SQL "
            f"{timing['slowest_sql_ms']:.1f} ms"
        )
        missed = timing["p95"] >= LIST_TARGET_MS
        if missed:
            figures["problems"].append(f"list {name}: p95 {timing['p95']:.0f} ms")
        if len(few) != len(many):
            figures["problems"].append(f"list {name}: {len(few)} vs {len(many)} queries")
        if missed or args.explain:
            for query_ in many:
                if (
                    query_["sql"].lstrip().upper().startswith("SELECT")
                    and float(query_["time"]) > 0.005
                ):
                    print(f"--- {name}: {float(query_['time']) * 1000:.1f} ms\n{query_['sql']}")
                    print(explain(query_["sql"]))

    dashboard = f"/kk/manage/calls/{big.slug}/dashboard/"
    cold, status, _ = timed_get(client, dashboard)
    if status != 200:
        raise RuntimeError(f"dashboard answered {status}")
    warm = measure_page(client, dashboard, args.runs)
    dash_small = capture(client, f"/kk/manage/calls/{small.slug}/dashboard/")
    dash_big = capture(client, dashboard)
    figures["dashboard"] = {
        "cold": cold,
        **warm,
        "queries_small": len(dash_small),
        "queries_big": len(dash_big),
    }
    if len(dash_small) != len(dash_big):
        figures["problems"].append("dashboard: query count grows with rows")
    log(
        f"dashboard first {cold:.0f} ms (charts drawn), then median {warm['median']:.1f} ms "
        f"p95 {warm['p95']:.1f} ms; queries {len(dash_small)} / {len(dash_big)}"
    )

    stream_url = f"/kk/manage/calls/{big.slug}/export/csv/?status=ineligible"
    stream = measure_page(client, stream_url, max(3, args.runs // 4))
    _ms, _status, body = timed_get(client, stream_url)
    stream["rows"] = body.count(b"\n") - 1
    figures["stream"] = stream
    log(f"streamed CSV of {stream['rows']} rows: median {stream['median']:.0f} ms")

    figures["exports"] = {}
    for fmt in ("csv", "xlsx"):
        plain = run_export_child(fmt, big.pk, env, trace=False)
        traced = run_export_child(fmt, big.pk, env, trace=True)
        plain["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
        figures["exports"][fmt] = plain
        log(
            f"background {fmt} export of {plain['rows']} rows: {plain['seconds']:.1f} s, "
            f"{plain['bytes'] / 1024 / 1024:.1f} MB file; peak RSS during the task "
            f"{plain['task_peak_mb']:.0f} MB (RSS before it {plain['rss_before_mb']:.0f} MB, "
            f"peak while starting up {plain['setup_peak_mb']:.0f} MB, ru_maxrss "
            f"{plain['ru_maxrss_mb']:.0f} MB incl. the parent's); Python allocations peak "
            f"{plain['tracemalloc_peak_mb']:.1f} MB"
        )
        if not plain["peak_reset"]:
            figures["problems"].append("could not reset VmHWM: the peak includes start-up")
        if fmt == "csv" and plain["task_peak_mb"] >= EXPORT_TARGET_MB:
            figures["problems"].append(f"csv export peak RSS {plain['task_peak_mb']:.0f} MB")
    return figures


def record(args: argparse.Namespace, figures: dict[str, Any], load: float) -> None:
    """Insert rows at the end of the first table of docs/benchmarks.md."""
    today = datetime.now(UTC).date().isoformat()
    command = ".venv/bin/python bench/screening.py --record"
    if args.rows != 20_000:
        command = command.replace(" --record", f" --rows {args.rows} --record")
    where = (
        f"{args.rows:,} applications in one call, PostgreSQL {figures['pg'].split()[0]}, "
        f"Django test Client in-process, DEBUG=0, {machine()}, load average at start {load:.1f}"
    )
    lists = "; ".join(
        f"{name}: median {t['median']:.0f} ms, p95 {t['p95']:.0f} ms"
        for name, t in figures["lists"].items()
    )
    counts = ", ".join(
        f"{t['queries_small']}/{t['queries_big']}" for t in figures["lists"].values()
    )
    dash = figures["dashboard"]
    csv_, xlsx = figures["exports"]["csv"], figures["exports"]["xlsx"]
    verdict = (
        "targets met"
        if not figures["problems"]
        else "TARGETS MISSED: " + "; ".join(figures["problems"])
    )
    rows = [
        (
            f"Screening list, {where}; {args.runs} runs each",
            f"{lists}; queries for 10/{args.rows:,} rows: {counts}; {verdict}",
        ),
        (
            f"Call dashboard, {where}",
            f"first view {dash['cold']:.0f} ms (charts drawn), then median {dash['median']:.0f} ms, "
            f"p95 {dash['p95']:.0f} ms; queries {dash['queries_small']}/{dash['queries_big']}",
        ),
        (
            f"Background export of the whole list (django-tasks task in a fresh process), {where}",
            f"CSV: {csv_['seconds']:.1f} s, {csv_['bytes'] / 1048576:.1f} MB file, peak RSS "
            f"{csv_['task_peak_mb']:.0f} MB (process before the task {csv_['rss_before_mb']:.0f} MB), "
            f"Python allocations peak {csv_['tracemalloc_peak_mb']:.1f} MB; XLSX: "
            f"{xlsx['seconds']:.1f} s, {xlsx['bytes'] / 1048576:.1f} MB, peak RSS "
            f"{xlsx['task_peak_mb']:.0f} MB, Python peak {xlsx['tracemalloc_peak_mb']:.1f} MB; "
            f"streamed CSV of {figures['stream']['rows']} rows: median {figures['stream']['median']:.0f} ms",
        ),
    ]
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| what |"))
    end = header
    while end + 1 < len(lines) and lines[end + 1].startswith("|"):
        end += 1
    for offset, (what, result) in enumerate(rows, start=1):
        lines.insert(end + offset, f"| {what} | `{command}` | {result} | {today} |")
    DOCS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"added {len(rows)} rows to {DOCS.relative_to(ROOT)}")


def main() -> int:
    args = parse_args()
    if args.export_child:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        export_child(args.export_child[0], int(args.export_child[1]), args.tracemalloc)
        return 0
    load = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="baiqau-bench-screening-"))
    env = environment(args.db, data_dir)
    admin_execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    admin_execute(f'CREATE DATABASE "{args.db}"')
    try:
        setup_django(env)
        figures = measure(args, env)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            admin_execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    print("problems: " + ("; ".join(figures["problems"]) or "none"))
    if args.record:
        record(args, figures, load)
    return 1 if figures["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
