"""The impact view over 2,000 funded projects with 8 reports each.

Run from the project folder:

    # PostgreSQL (the recorded figures): a database whose name contains "bench", dropped and
    # created afresh on the server of the URL, dropped again at the end.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_impact .venv/bin/python bench/impact.py
    DATABASE_URL=... .venv/bin/python bench/impact.py --record   # ... and write its section
    # No DATABASE_URL: SQLite in a temporary folder.
    .venv/bin/python bench/impact.py

`--record` replaces the section "Impact view (`bench/impact.py`)" of docs/benchmarks.md (or
appends it) and leaves every other section as it is.

What it does:

1. Settings as in production (DEBUG=0, so `{% static %}` goes through the manifest: static
   files are collected into a temporary DATA_DIR; the local-memory cache; STAFF_REQUIRE_MFA=0).
   Migrates the fresh database.
2. Bulk-creates a call with published results and N funded projects (default 2,000), each with
   its organisation, awarded application, agreement (85 % accepted, 10 % closed, 5 % offered),
   two indicators, R reports (default 8: interim reports a month apart, then the final one;
   the past ones accepted, except on 6 % of projects whose latest past report is submitted
   (under review) or returned (late); one accepted report in ten was returned once first, so
   it has a returned version whose counts must not count), each accepted version with 4–8
   beneficiary categories and a value per indicator, and four tranches (paid, withheld on
   4 % of projects, the rest planned or approved). A second call gets 10 projects the same
   way, for the query-count comparison. ANALYZE on PostgreSQL.
3. Checks the page's total against the definition computed row by row in Python (the sum of
   the accepted versions' counts) and that the categories add up to it.
4. With Django's test Client, times the public overview (`/kk/impact/`), the call's public page
   (`/kk/impact/<slug>/`, its first and last page of projects) and the staff page
   (`/kk/manage/calls/<slug>/impact/`, as an organiser): the very first request of the process
   (imports matplotlib and draws the charts), then `--runs` requests with the chart cache
   emptied before each (the charts drawn every time: "cold") and `--runs` with it warm; median
   and p95. Counts the queries of each page for the 10-project and the N-project call: they
   must be equal.

Targets: every page under 300 ms (p95, warm chart cache) and the same number of queries for 10
and N projects. Exit status 1 if a target or a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Impact view (`bench/impact.py`)"
TARGET_MS = 300.0
UNUSABLE_PASSWORD = "!bench"  # noqa: S105  # "!" makes it unusable: nobody logs in with it

CHANGED = [
    "Он екі жас өз бетінше тұратын пәтерге көшті, бесеуі жұмысқа орналасты.",
    "Отбасылар үйде балаларымен күнделікті жаттығулар жасауды үйренді.",
    "Еріктілер қарт адамдарға апта сайын барып, дәрі-дәрмек әкелді.",
    "Двенадцать молодых людей переехали в квартиры сопровождаемого проживания.",
    "Родители освоили упражнения для занятий с детьми дома.",
]
TITLES = [
    "Өз бетімен өмір сүруге арналған үй",
    "Арт-терапия балаларға",
    "Еріктілер қозғалысы өмірді өзгертеді",
    "Қамқор көрші",
    "Инклюзивті спорт үйірмесі",
    "Ерте даму орталығы",
]
AGES = ["0-17", "18-34", "35-62", "63+"]
GROUPS = ["", "1", "2", "3", "child"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%SZ', time.gmtime())}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--projects", type=int, default=2_000, help="funded projects in the big call")
    p.add_argument("--reports", type=int, default=8, help="reports per project")
    p.add_argument("--runs", type=int, default=20, help="timed runs per page and cache state")
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument("--keep-db", action="store_true", help="do not drop the database afterwards")
    p.add_argument("--record", action="store_true", help="write the section of docs/benchmarks.md")
    args = p.parse_args()
    if not 10 <= args.projects <= 100_000 or not 2 <= args.reports <= 24:
        p.error("--projects must be 10..100000 and --reports 2..24")
    if not 3 <= args.runs <= 500:
        p.error("--runs must be 3..500")
    return args


# --------------------------------------------------------------------------- database


def postgres_database(url: str) -> tuple[str, str]:
    """The database's name and a URL of the same server's `postgres` database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", name) or "bench" not in name:
        raise SystemExit(
            f"refusing to drop and create {name!r}: give a database whose name contains 'bench'"
        )
    return name, urlunsplit(parts._replace(path="/postgres"))


def admin_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def environment(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "STAFF_REQUIRE_MFA": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "TASK_BACKEND": "immediate",
        "EMAIL_URL": "memorymail://",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "baiqau.settings",
    }


# --------------------------------------------------------------------------- data


_SERIALS = itertools.count(1)


def make_bins(n: int) -> list[str]:
    from baiqau.domain.identifiers import check_digit

    bins: list[str] = []
    while len(bins) < n:
        serial = next(_SERIALS)
        first11 = f"{5 + serial % 15:02d}{1 + serial % 12:02d}4{serial:06d}"
        digit = check_digit(first11)
        if digit is not None:
            bins.append(f"{first11}{digit}")
    return bins


def build_call(slug: str, n: int, reports: int, rng: random.Random, staff: Any) -> Any:
    """One call with published results and `n` funded projects, all by bulk_create."""
    from decimal import Decimal

    from django.utils import timezone

    from baiqau.applications.models import Application
    from baiqau.calls.models import AwardScheme, Call, CallRole
    from baiqau.monitoring import models as m
    from baiqau.organisations.models import Organisation

    now = timezone.now()
    today = timezone.localdate()
    call = Call.objects.create(
        slug=slug,
        title_kk=f"Әлеуметтік жобалар байқауы ({slug})",
        title_ru=f"Конкурс социальных проектов ({slug})",
        title_en=f"Social projects call ({slug})",
        status="decided",
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=370),
        review_ends_at=now - timedelta(days=340),
        results_at=now - timedelta(days=330),
        results_published_at=now - timedelta(days=330),
        award_scheme=AwardScheme.POOL,
        pool_amount=n * 5_000_000,
        max_per_project=5_000_000,
    )
    CallRole.objects.create(call=call, user=staff, role="organiser")
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(bin=b, org_type="ngo", name_kk=f"«Қамқор-{i}» қоғамдық бірлестігі")
            for i, b in enumerate(make_bins(n))
        ),
        batch_size=2000,
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                call=call,
                organisation=o,
                language="kk",
                status="awarded",
                receipt_number=f"BQ-{call.pk:04d}-{i + 1:07d}",
                submitted_at=call.closes_at - timedelta(days=1),
                title_kk=f"{rng.choice(TITLES)} {i}",
                summary_kk="Мүмкіндігі шектеулі жастарды өз бетінше өмір сүруге дайындау.",
                requested_amount=rng.randrange(100, 500) * 10_000,
                beneficiaries_count=rng.randrange(20, 300),
            )
            for i, o in enumerate(organisations)
        ),
        batch_size=2000,
    )
    statuses = rng.choices(["accepted", "closed", "offered"], weights=[85, 10, 5], k=n)
    agreements = m.Agreement.objects.bulk_create(
        (
            m.Agreement(
                application=a,
                call=call,
                number=f"{slug}-{i + 1:05d}",
                amount=a.requested_amount,
                purpose="Өз бетінше өмір сүруге дайындау",
                summary_public=f"{a.title_kk}: апта сайын сабақтар, кеңестер, еріктілер.",
                status=statuses[i],
                staff_contact=staff,
                created_by=staff,
                created_at=call.results_published_at,
                offered_at=call.results_published_at,
                accepted_at=None if statuses[i] == "offered" else call.results_published_at,
                closed_at=now if statuses[i] == "closed" else None,
            )
            for i, a in enumerate(applications)
        ),
        batch_size=2000,
    )
    indicators = m.Indicator.objects.bulk_create(
        (
            m.Indicator(
                agreement=ag,
                position=k,
                name=name,
                unit=unit,
                baseline=Decimal(0),
                target=Decimal(ap.beneficiaries_count if k == 0 else 48),
            )
            for ag, ap in zip(agreements, applications, strict=True)
            for k, (name, unit) in enumerate(
                [("People reached by the project", "people"), ("Sessions held", "sessions")]
            )
        ),
        batch_size=5000,
    )
    by_agreement: dict[int, list[Any]] = {}
    for indicator in indicators:
        by_agreement.setdefault(indicator.agreement_id, []).append(indicator)
    # Reports a month apart; the last past one is due a week ago, the final one later.
    first_due = today - timedelta(days=30 * (reports - 2) + 7)
    plan = []
    for ag, status in zip(agreements, statuses, strict=True):
        late = status == "accepted" and rng.random() < 0.06
        for k in range(reports):
            due = (
                first_due + timedelta(days=30 * k) - timedelta(days=60 if status == "closed" else 0)
            )
            past = due < today
            if status == "closed":
                state = "accepted"
            elif status == "offered" or not past:
                state = "due"
            elif late and k == reports - 2:
                state = rng.choice(["submitted", "returned"])
            else:
                state = "accepted"
            plan.append((ag, k, due, state))
    report_rows = m.Report.objects.bulk_create(
        (
            m.Report(
                agreement=ag,
                position=k,
                kind="final" if k == reports - 1 else "interim",
                due_date=due,
                status=state,
            )
            for ag, k, due, state in plan
        ),
        batch_size=5000,
    )
    # Versions: one per submitted/returned/accepted report; one accepted in ten returned first.
    version_rows, owner_of = [], []
    for report in report_rows:
        if report.status == "due":
            continue
        returned_first = report.status == "accepted" and rng.random() < 0.1
        numbers = [1, 2] if returned_first else [1]
        for number in numbers:
            version_rows.append(
                m.ReportVersion(
                    report=report,
                    number=number,
                    done="Апта сайын сабақтар өтті.",
                    changed=rng.choice(CHANGED),
                    submitted_at=now - timedelta(days=3),
                    submitted_by=staff,
                )
            )
            owner_of.append((report, number == numbers[-1]))
    versions = m.ReportVersion.objects.bulk_create(version_rows, batch_size=5000)
    counts, values, accepted = [], [], []
    for version, (report, last) in zip(versions, owner_of, strict=True):
        categories = rng.sample(
            [(a, s, g) for a in AGES for s in ("f", "m") for g in [None, *GROUPS]],
            rng.randint(4, 8),
        )
        total = 0
        for age, sex, group in categories:
            n_people = rng.randint(1, 12)
            total += n_people
            counts.append(
                m.BeneficiaryCount(
                    version=version,
                    age_group=age,
                    sex=sex,
                    disability=group is not None,
                    disability_group=group or "",
                    count=n_people,
                )
            )
        version.beneficiaries_total = total
        values.extend(
            m.IndicatorValue(
                version=version, indicator=indicator, value=Decimal(rng.randint(1, 60))
            )
            for indicator in by_agreement[report.agreement_id]
        )
        if report.status == "accepted" and last:
            report.accepted_version = version
            accepted.append(report)
    m.BeneficiaryCount.objects.bulk_create(counts, batch_size=10_000)
    m.IndicatorValue.objects.bulk_create(values, batch_size=10_000)
    m.ReportVersion.objects.bulk_update(versions, ["beneficiaries_total"], batch_size=2000)
    m.Report.objects.bulk_update(accepted, ["accepted_version"], batch_size=2000)
    tranches = []
    for ag, status in zip(agreements, statuses, strict=True):
        parts = [ag.amount * 4 // 10, ag.amount * 2 // 10, ag.amount * 2 // 10]
        parts.append(ag.amount - sum(parts))
        withheld = rng.random() < 0.04
        for k, amount in enumerate(parts):
            if status == "closed":
                state = "withheld" if withheld and k == 3 else "paid"
            elif status == "offered":
                state = "planned"
            elif k == 0:
                state = "paid"
            elif k == 1:
                state = "withheld" if withheld else rng.choice(["paid", "approved"])
            else:
                state = "planned"
            tranches.append(
                m.Tranche(
                    agreement=ag,
                    position=k,
                    amount=amount,
                    planned_date=first_due + timedelta(days=60 * k),
                    status=state,
                    paid_on=today - timedelta(days=10) if state == "paid" else None,
                    reference="ПП-1" if state == "paid" else "",
                    withheld_reason="Есеп қабылданбады." if state == "withheld" else "",
                )
            )
    m.Tranche.objects.bulk_create(tranches, batch_size=5000)
    call.counts = {  # type: ignore[attr-defined]
        "agreements": len(agreements),
        "reports": len(report_rows),
        "versions": len(versions),
        "categories": len(counts),
        "values": len(values),
        "tranches": len(tranches),
    }
    return call


def check_totals(call: Any) -> tuple[list[str], int]:
    """The page's figures against the definition, computed row by row in Python."""
    from baiqau.monitoring.impact import impact_figures
    from baiqau.monitoring.models import BeneficiaryCount, Report

    accepted = set(
        Report.objects.filter(agreement__call=call, status="accepted").values_list(
            "accepted_version_id", flat=True
        )
    )
    rows = [
        n
        for version, n in BeneficiaryCount.objects.filter(
            version__report__agreement__call=call
        ).values_list("version_id", "count")
        if version in accepted
    ]
    expected = sum(rows)
    b = impact_figures(call=call, public=True).beneficiaries
    problems = []
    if b.reached != expected:
        problems.append(f"reached {b.reached} != {expected} summed row by row")
    if b.women + b.men != b.reached or b.without_disability + b.with_disability != b.reached:
        problems.append("the categories do not add up to the total")
    return problems, len(rows)


# --------------------------------------------------------------------------- measurements


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def timed_get(client: Any, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    ms = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return ms


def count_queries(client: Any, url: str) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        timed_get(client, url)
    return len(captured), sum(float(q["time"]) for q in captured.captured_queries) * 1000


def measure(client: Any, url: str, runs: int) -> dict[str, float]:
    from django.core.cache import cache

    cold = []
    for _ in range(runs):
        cache.clear()
        cold.append(timed_get(client, url))
    timed_get(client, url)
    warm = [timed_get(client, url) for _ in range(runs)]
    return {
        "cold_median": statistics.median(cold),
        "cold_p95": percentile(cold, 0.95),
        "median": statistics.median(warm),
        "p95": percentile(warm, 0.95),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from baiqau.monitoring.impact_projects import PROJECTS_PER_PAGE

    log("migrating and collecting static files")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    rng = random.Random(args.seed)
    staff = get_user_model().objects.create(
        email="organiser@bench.example", full_name="Ұйымдастырушы", password=UNUSABLE_PASSWORD
    )
    log(f"creating {args.projects:,} projects with {args.reports} reports each")
    started = time.perf_counter()
    big = build_call("bench-impact", args.projects, args.reports, rng, staff)
    small = build_call("bench-impact-small", 10, args.reports, rng, staff)
    built = time.perf_counter() - started
    log(f"created in {built:.1f} s: {big.counts}")
    problems, accepted_rows = check_totals(big)
    problems += check_totals(small)[0]
    engine = connection.vendor
    version = ""
    with connection.cursor() as cursor:
        if engine == "postgresql":
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("select sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
    figures: dict[str, Any] = {
        "engine": version,
        "projects": args.projects,
        "reports": args.reports,
        "counts": big.counts,
        "build_s": built,
        "accepted_rows": accepted_rows,
        "runs": args.runs,
        "problems": problems,
        "pages": {},
    }
    last_page = -(-args.projects // PROJECTS_PER_PAGE)
    public, staff_client = Client(), Client()
    staff_client.force_login(staff)
    pages = {
        "public overview, every call": (public, "/kk/impact/", "/kk/impact/"),
        "public call page, projects 1–25": (
            public,
            f"/kk/impact/{big.slug}/",
            f"/kk/impact/{small.slug}/",
        ),
        f"public call page, last page ({last_page})": (
            public,
            f"/kk/impact/{big.slug}/?page={last_page}",
            f"/kk/impact/{small.slug}/?page=1",
        ),
        "staff page (organiser)": (
            staff_client,
            f"/kk/manage/calls/{big.slug}/impact/",
            f"/kk/manage/calls/{small.slug}/impact/",
        ),
    }
    first = time.perf_counter()
    timed_get(public, "/kk/impact/")
    figures["first_request_ms"] = (time.perf_counter() - first) * 1000
    log(f"first request of the process (imports matplotlib): {figures['first_request_ms']:.0f} ms")
    for name, (client, url, small_url) in pages.items():
        timing = measure(client, url, args.runs)
        queries_small, _sql_small = count_queries(client, small_url)
        queries_big, sql_ms = count_queries(client, url)
        timing |= {"queries_small": queries_small, "queries_big": queries_big, "sql_ms": sql_ms}
        figures["pages"][name] = timing
        log(
            f"{name:<36} warm median {timing['median']:6.1f} ms p95 {timing['p95']:6.1f} ms; "
            f"charts drawn: median {timing['cold_median']:6.1f} ms p95 {timing['cold_p95']:6.1f} "
            f"ms; queries {queries_small} (10 projects) / {queries_big} ({args.projects:,}), "
            f"SQL {sql_ms:.1f} ms"
        )
        if timing["p95"] >= TARGET_MS:
            figures["problems"].append(f"{name}: p95 {timing['p95']:.0f} ms")
        if queries_small != queries_big:
            figures["problems"].append(f"{name}: {queries_small} vs {queries_big} queries")
    return figures


# --------------------------------------------------------------------------- the record


def machine() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            memory = f", {int(meminfo.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores{memory}, {platform.system()}, Python {platform.python_version()}"
    )


def table(figures: dict[str, Any]) -> list[str]:
    lines = [
        "| page | warm chart cache: median / p95 | charts drawn: median / p95 | queries "
        f"(10 / {figures['projects']:,} projects) | SQL time (one run) |",
        "|---|---|---|---|---|",
    ]
    for name, t in figures["pages"].items():
        lines.append(
            f"| {name} | {t['median']:.0f} / {t['p95']:.0f} ms | {t['cold_median']:.0f} / "
            f"{t['cold_p95']:.0f} ms | {t['queries_small']} / {t['queries_big']} | "
            f"{t['sql_ms']:.0f} ms |"
        )
    return lines


def section(figures: dict[str, Any], load: float) -> str:
    c = figures["counts"]
    verdict = (
        "Every page is under 300 ms (p95, warm chart cache) and costs the same number of queries "
        f"for 10 and {figures['projects']:,} projects; the total equals the accepted versions' "
        "counts summed row by row, and the categories add up to it."
        if not figures["problems"]
        else "TARGETS MISSED: " + "; ".join(figures["problems"]) + "."
    )
    intro = (
        f"{figures['projects']:,} funded projects in one call with {figures['reports']} reports "
        f"each ({c['reports']:,} reports, {c['versions']:,} submitted versions, "
        f"{c['categories']:,} beneficiary categories, {c['values']:,} indicator values, "
        f"{c['tranches']:,} tranches), plus a call of 10 projects for the query counts; "
        f"{figures['engine']}, Django's test Client in the process, DEBUG=0, the local-memory "
        f"cache. The data took {figures['build_s']:.0f} s to bulk-create. Machine: {machine()}; "
        f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (other "
        f"work shares the cores). {figures['runs']} runs per page and cache "
        f'state; the chart cache is emptied before each "charts drawn" run (four charts a '
        f"page). The very first request of the process, which imports matplotlib, took "
        f"{figures['first_request_ms']:.0f} ms."
    )
    notes = (
        "Each page reads its figures with three grouped queries (agreements by call, status and "
        "lateness with their amounts and first-indicator targets; tranches by call and status; "
        "the accepted versions' beneficiary counts by call and category: the "
        f"{figures['accepted_rows']:,} rows summed in the database), then the page of 25 "
        "projects (their ids as a subquery, so PostgreSQL computes the per-project sums for "
        "those 25 only, on the last page as on the first), and on the staff page one query for "
        "those projects' indicators with their latest accepted values; the overview reads the "
        "calls instead. Drawing the four charts costs most of a cold page; they are cached by a "
        "hash of their data and language, so they are drawn again only when a figure changes."
    )
    wrap = lambda text: textwrap.fill(text, 95)  # noqa: E731
    return "\n".join(
        [
            SECTION,
            "",
            "```sh",
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_impact \\",
            "  .venv/bin/python bench/impact.py --record",
            "```",
            "",
            wrap(intro),
            "",
            *table(figures),
            "",
            wrap(notes),
            "",
            wrap(verdict),
            "",
            f"Date: {datetime.now(UTC).date().isoformat()}.",
            "",
        ]
    )


def record(text: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md, or append it; keep the rest."""
    current = DOCS.read_text(encoding="utf-8")  # read just before writing: others append too
    if SECTION in current:
        start = current.index(SECTION)
        following = current.find("\n## ", start + len(SECTION))
        rest = current[following + 1 :] if following != -1 else ""
        current = current[:start] + text.rstrip() + "\n" + ("\n" + rest if rest else "")
    else:
        current = current.rstrip() + "\n\n" + text.rstrip() + "\n"
    DOCS.write_text(current, encoding="utf-8")
    log(f"wrote the section to {DOCS.relative_to(ROOT)}")


def main() -> int:
    args = parse_args()
    load = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="baiqau-bench-impact-"))
    url = os.environ.get("DATABASE_URL", "")
    admin_url = name = ""
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("DATABASE_URL must be a PostgreSQL URL (or unset for SQLite)")
        name, admin_url = postgres_database(url)
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    else:
        url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.update(environment(url, data_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        figures = run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if admin_url and not args.keep_db:
            admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    print()
    print("\n".join(table(figures)))
    print("problems: " + ("; ".join(figures["problems"]) or "none"))
    if args.record:
        record(section(figures, load))
    return 1 if figures["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
