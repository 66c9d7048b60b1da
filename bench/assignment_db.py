"""Reviewer assignment from the database: 20,000 applications, 2,000 experts, PostgreSQL.

Run from the project folder (PostgreSQL on 127.0.0.1:5432, trust authentication):

    .venv/bin/python bench/assignment_db.py            # measure and print
    .venv/bin/python bench/assignment_db.py --record   # ... and write its section of
                                                       # docs/benchmarks.md

`bench/assignment.py` times the pure solver on synthetic arrays. This one goes end to end
through the real code: the database, `baiqau.review.solver`, the services and the pages.

1. Drops and creates the database `baiqau_bench_assignment` (`--db`); every step runs in a
   fresh child process (`--child STEP`), so each peak-memory figure is that step's alone and
   the parent (no Django) adds nothing to it. Settings: DEBUG=0, TASK_BACKEND=immediate
   (e-mails are sent in the process, after the commit), EMAIL_URL=memorymail:// (Django's
   locmem backend: the messages are kept in memory and counted, not printed),
   STAFF_REQUIRE_MFA=0.
2. `setup`: migrates, collects static files (DEBUG=0 renders `{% static %}` through the
   manifest) and bulk-creates one call in review with three criteria, a review plan (3 reviews
   per application, maximum load 35, solver mode) and the default areas of expertise;
   20,000 eligible applications, each from its own organisation (each with an owner), titles
   and summaries in Kazakh, Russian or English (45/40/15 %) drawn from 12 topics as in
   `bench/assignment.py`, one or two areas per application (`ApplicationReviewSettings` and
   its M2M table); 2,000 active experts (expertise text from 1–2 topics in their 1–2
   languages, the topics' areas, 9 of them the commission). Conflicts of interest, in the
   forms the platform detects: 1,000 experts are members of one applicant organisation
   each, 300 work for one (`employer_bin`; 1,000 others give the BIN of an organisation that
   did not apply), 100 used to be members of one, 200 declared a conflict with one
   application of this call, and 150 of 300 experts who sat on last year's panel declared a
   conflict there with an organisation that applies again: about 1,750 pairs, 0.004 % of the
   40 million (the pure solver bench forbids 5 % of pairs, a much harder case). A second
   call with 10 applications and 4 experts is built the same way and assigned (solver and
   apply) for the query-count comparison. ANALYZE.
3. `build`: times `build(call)` (database → the solver's arrays) and `call_conflicts(call)`.
4. `solve`: times `solve_call(call)` with the time of each progress stage, then stores the
   proposal as the background task does (an `AssignmentRun` in status "proposed").
5. `apply`: `assignment_run_apply` of that proposal as the organiser, under
   `CaptureQueriesContext`: ~60,000 assignments, one audit event listing the pairs, one
   notification per expert and its e-mail delivery (sent after the commit by the immediate
   task backend). Reports the time until the commit, the commit, the deliveries after it,
   how long the audit chain's advisory lock was held, and the queries by kind.
6. `pages`: ANALYZE, then with Django's test Client as the organiser, the assignments list
   (page 1 and page 300), the review progress, the roster of experts and the solver run's
   proposal; as an expert with 35 assignments, their queue. Median and maximum of `--runs`
   timed runs after a warm-up, and the number of queries against the 10-application call
   (they must be equal).
7. Prints the tables, writes the section with `--record`, drops the database (also on
   failure; `--keep-db` keeps it).

Exit status 1 when a check fails (a query count that grows with the call, a wrong number of
assignments, notifications or e-mails).
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
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Reviewer assignment from the database (`bench/assignment_db.py`)"
CHILD_TIMEOUT_S = 900
GUNICORN_TIMEOUT_S = 30.0
STEPS = ("setup", "build", "solve", "apply", "pages")

# --------------------------------------------------------------------------- realistic text
# The vocabulary of bench/assignment.py.
from vocabulary import ENDINGS, GENERIC, LANGUAGE_SHARE, TOPICS  # noqa: E402  # bench/ is on the path

LANGUAGES = ("kk", "ru", "en")
# Each topic's areas, as positions in the default areas of expertise (DEFAULT_TAGS):
# 0 disability, 1 mental health, 2 children, 3 employment, 4 volunteering, 5 elderly people.
TOPIC_TAGS = ((0,), (3,), (2,), (1,), (3,), (4,), (2, 1), (5,), (2, 4), (1,), (3,), (0,))
FIRST_NAMES = ["Айгүл", "Ерлан", "Динара", "Нұрлан", "Сәуле", "Бауыржан", "Гүлнар", "Асқар"]
FIRST_NAMES += ["Жанар", "Мұрат", "Ольга", "Сергей", "Анна", "Дмитрий", "Әсем", "Талғат"]
LAST_NAMES = ["Ахметова", "Сейтқали", "Омарова", "Жұмабаев", "Иванова", "Ким", "Петров"]
LAST_NAMES += ["Тоқтарова", "Әбенов", "Нұрланова", "Сұлтанов", "Каримова", "Смирнов"]
UNUSABLE_PASSWORD = "!bench"  # noqa: S105  # "!" makes it unusable: nobody logs in with it
# How many of the big call's experts have each kind of conflict.
CONFLICTS = {"member": 1000, "employer": 300, "former": 100, "declared": 200, "earlier": 150}
OTHER_EMPLOYERS = 1000  # experts whose employer did not apply
EARLIER_PANEL = 300  # experts who sat on last year's panel


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%SZ', time.gmtime())}] {message}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--apps", type=int, default=20_000, help="applications in the big call")
    p.add_argument("--experts", type=int, default=2_000, help="experts in the big call")
    p.add_argument("--runs", type=int, default=5, help="timed runs per page")
    p.add_argument("--db", default="baiqau_bench_assignment", help="database to create and drop")
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument("--keep-db", action="store_true", help="do not drop the database afterwards")
    p.add_argument("--record", action="store_true", help="write the section of docs/benchmarks.md")
    p.add_argument("--json", type=Path, help="write every figure to this file")
    # Internal: one step in a fresh process.
    p.add_argument("--child", choices=STEPS, help=argparse.SUPPRESS)
    p.add_argument("--ids", default="{}", help=argparse.SUPPRESS)
    args = p.parse_args()
    if not 100 <= args.apps <= 200_000 or not 20 <= args.experts <= 20_000:
        p.error("--apps must be 100..200000 and --experts 20..20000")
    if args.apps * 3 > args.experts * 35:
        p.error("the experts cannot take 3 reviews of every application at 35 each")
    if not 3 <= args.runs <= 100:
        p.error("--runs must be 3..100")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", args.db) or args.db in {
        "postgres",
        "test",
        "root",
    }:
        p.error("--db must be a plain, dedicated database name")
    return args


# --------------------------------------------------------------------------- processes


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
        "EMAIL_URL": "memorymail://",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "baiqau.settings",
    }


def proc_status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> bool:
    """Set VmHWM to the current RSS, so that it reads the measured step's own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall time, peak RSS and CPU of one measured step: this process, its PostgreSQL
    backend, and other work on the machine."""

    def __init__(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = int(cursor.fetchone()[0])
        self.rss_before = proc_status_mb("VmRSS")
        self.reset = reset_peak()
        self.busy = busy_seconds()
        self.backend_cpu = process_cpu(self.backend)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.own_cpu = usage.ru_utime + usage.ru_stime
        self.started = time.perf_counter()

    def stop(self) -> dict[str, Any]:
        wall = time.perf_counter() - self.started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        own = usage.ru_utime + usage.ru_stime - self.own_cpu
        backend = process_cpu(self.backend) - self.backend_cpu
        other = max(busy_seconds() - self.busy - own - backend, 0.0)
        return {
            "seconds": wall,
            "cpu_s": own,
            "backend_cpu_s": backend,
            "other_cores": other / wall if wall else 0.0,
            "rss_before_mb": self.rss_before,
            "peak_mb": proc_status_mb("VmHWM"),
            "peak_reset": self.reset,
            "ru_maxrss_mb": usage.ru_maxrss / 1024,
        }


def run_child(
    step: str, args: argparse.Namespace, env: dict[str, str], ids: dict[str, Any]
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        step,
        "--ids",
        json.dumps(ids),
        "--apps",
        str(args.apps),
        "--experts",
        str(args.experts),
        "--runs",
        str(args.runs),
        "--seed",
        str(args.seed),
        "--db",
        args.db,
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"step {step} failed with status {done.returncode}")
    log(f"step {step}: child process {time.perf_counter() - started:.0f} s")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


# --------------------------------------------------------------------------- data


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


class Words:
    """Bags of words by topic and language, with a few inflected endings."""

    def __init__(self, rng: random.Random) -> None:
        def inflect(words: str, language: int) -> list[str]:
            return [word + ending for word in words.split() for ending in ENDINGS[language]]

        self.rng = rng
        self.topics = [[inflect(topic[lang], lang) for lang in range(3)] for topic in TOPICS]
        self.generic = [inflect(GENERIC[lang], lang) for lang in range(3)]

    def text(self, topics: list[int], languages: list[int], length: int, share: float) -> str:
        rng = self.rng
        words = []
        for _ in range(length):
            lang = rng.choice(languages)
            pool = (
                self.topics[rng.choice(topics)][lang]
                if rng.random() < share
                else self.generic[lang]
            )
            words.append(rng.choice(pool))
        return " ".join(words)


def some_languages(rng: random.Random) -> list[int]:
    drawn = rng.choices(range(3), weights=LANGUAGE_SHARE, k=rng.randint(1, 2))
    return sorted(set(drawn))


def make_call(slug: str, title: str, status: str, closes: datetime, rng: random.Random) -> Any:
    from decimal import Decimal

    from baiqau.calls.models import AwardScheme, Call, Criterion
    from baiqau.review.models import ReviewPlan

    call = Call.objects.create(
        slug=slug,
        title_kk=f"{title}: әлеуметтік жобалар байқауы",
        title_ru=f"{title}: конкурс социальных проектов",
        title_en=f"{title}: social projects call",
        status=status,
        opens_at=closes - timedelta(days=45),
        closes_at=closes,
        review_ends_at=closes + timedelta(days=40),
        results_at=closes + timedelta(days=50),
        award_scheme=AwardScheme.POOL,
        pool_amount=2_000_000_000,
        max_per_project=20_000_000,
    )
    for i, (kk, ru, en, weight) in enumerate(
        (
            ("Өзектілігі", "Актуальность", "Relevance", 40),
            ("Іске асырылуы", "Реализуемость", "Feasibility", 30),
            ("Тұрақтылығы", "Устойчивость", "Sustainability", 30),
        )
    ):
        Criterion.objects.create(
            call=call,
            position=i,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            weight=Decimal(weight),
            min_score=0,
            max_score=10,
        )
    ReviewPlan.objects.create(
        call=call, mode="solver", reviews_per_application=3, min_load=0, max_load=35
    )
    return call


def make_users(prefix: str, n: int, rng: random.Random, languages: list[list[int]]) -> list[Any]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return user_model.objects.bulk_create(
        (
            user_model(
                email=f"{prefix}{i:05d}@bench.example",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                preferred_language=LANGUAGES[languages[i][0]] if languages else "kk",
                password=UNUSABLE_PASSWORD,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )


def populate(
    call: Any, n_apps: int, n_experts: int, rng: random.Random, bins: list[str], prefix: str
) -> dict[str, Any]:
    """Organisations with an owner, eligible applications with their areas, active experts
    with theirs. Returns what the conflicts are drawn from."""
    from baiqau.applications.models import Application
    from baiqau.organisations.models import Membership, Organisation
    from baiqau.review.models import ApplicationReviewSettings, Expert
    from baiqau.review.services import expertise_tags_ensure

    words = Words(rng)
    tags = expertise_tags_ensure(call)
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(
                bin=bins.pop(),
                org_type="ngo",
                name_kk=f"«{rng.choice(TOPICS)[0].split()[0].capitalize()}» қоғамдық бірлестігі {i}",
                name_ru=f"Общественное объединение «{rng.choice(TOPICS)[1].split()[0]}» {i}",
            )
            for i in range(n_apps)
        ),
        batch_size=2000,
    )
    owners = make_users(f"{prefix}-applicant", n_apps, rng, [])
    Membership.objects.bulk_create(
        (
            Membership(organisation=o, user=u, role="owner")
            for o, u in zip(organisations, owners, strict=True)
        ),
        batch_size=2000,
    )
    app_topics = [rng.randrange(len(TOPICS)) for _ in range(n_apps)]
    app_langs = rng.choices(range(3), weights=LANGUAGE_SHARE, k=n_apps)
    applications = []
    for i, organisation in enumerate(organisations):
        topic, lang = app_topics[i], app_langs[i]
        code = LANGUAGES[lang]
        title = words.text([topic], [lang], rng.randint(5, 9), 0.8).capitalize()
        summary = words.text([topic], [lang], rng.randint(35, 65), 0.65)
        application = Application(
            call=call,
            organisation=organisation,
            language=code,
            status="eligible",
            receipt_number=f"BQ-{call.pk:04d}-{i + 1:07d}",
            submitted_at=call.closes_at - timedelta(days=20 * rng.random() ** 2.5),
            requested_amount=rng.randrange(50, 2000) * 10_000,
            beneficiaries_count=rng.randrange(10, 500),
            **{f"title_{code}": title, f"summary_{code}": summary},
        )
        # bulk_create skips save(): the text Application.save puts in search_text.
        application.search_text = f"{title} {summary}".lower()
        applications.append(application)
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    review_settings = ApplicationReviewSettings.objects.bulk_create(
        (ApplicationReviewSettings(application=a) for a in applications), batch_size=2000
    )
    through = ApplicationReviewSettings.tags.through
    through.objects.bulk_create(
        (
            through(applicationreviewsettings_id=s.pk, expertisetag_id=tags[t].pk)
            for s, topic in zip(review_settings, app_topics, strict=True)
            for t in TOPIC_TAGS[topic]
        ),
        batch_size=5000,
    )

    expert_langs = [some_languages(rng) for _ in range(n_experts)]
    if n_experts < 10:  # the small call: everyone reads everything, so it is always feasible
        expert_langs = [[0, 1, 2] for _ in range(n_experts)]
    users = make_users(f"{prefix}-expert", n_experts, rng, expert_langs)
    now = call.closes_at
    experts = []
    expert_topics = []
    for i, user in enumerate(users):
        topics = sorted(set(rng.choices(range(len(TOPICS)), k=rng.randint(1, 2))))
        expert_topics.append(topics)
        experts.append(
            Expert(
                call=call,
                user=user,
                expertise=words.text(topics, expert_langs[i], rng.randint(10, 30), 0.65),
                languages=[LANGUAGES[lang] for lang in expert_langs[i]],
                profile_done_at=now,
                is_commission=i < 9,
                is_chair=i == 0,
            )
        )
    experts = Expert.objects.bulk_create(experts, batch_size=2000)
    Expert.tags.through.objects.bulk_create(
        (
            Expert.tags.through(expert_id=e.pk, expertisetag_id=tags[t].pk)
            for e, topics in zip(experts, expert_topics, strict=True)
            for t in sorted({t for topic in topics for t in TOPIC_TAGS[topic]})
        ),
        batch_size=5000,
    )
    return {"organisations": organisations, "applications": applications, "experts": experts}


def add_conflicts(
    call: Any, made: dict[str, Any], rng: random.Random, bins: list[str], counts: dict[str, int]
) -> dict[str, int]:
    """Conflicts of interest in the forms the platform detects (see CONFLICTS)."""
    from baiqau.applications.models import Application
    from baiqau.organisations.models import FormerMembership, Membership
    from baiqau.review.models import Declaration, Expert

    organisations, applications, experts = (
        made["organisations"],
        made["applications"],
        made["experts"],
    )
    now = call.closes_at
    n = len(experts)
    members = rng.sample(range(n), min(counts["member"], n))
    orgs = rng.sample(range(len(organisations)), len(members))
    Membership.objects.bulk_create(
        Membership(organisation=organisations[o], user_id=experts[e].user_id, role="member")
        for e, o in zip(members, orgs, strict=True)
    )
    order = rng.sample(range(n), n)  # employers: applicants first, then others
    employed = order[: counts["employer"]]
    others = order[counts["employer"] : counts["employer"] + counts.get("other_employers", 0)]
    for e in employed:
        experts[e].employer_bin = organisations[rng.randrange(len(organisations))].bin
    for e in others:
        experts[e].employer_bin = bins.pop()
    Expert.objects.bulk_update([experts[e] for e in employed + others], ["employer_bin"])
    former = rng.sample(range(n), counts["former"])
    FormerMembership.objects.bulk_create(
        FormerMembership(
            organisation=organisations[rng.randrange(len(organisations))],
            user_id=experts[e].user_id,
            started_at=now - timedelta(days=900),
            ended_at=now - timedelta(days=200),
        )
        for e in former
    )
    declared = rng.sample(range(n), counts["declared"])
    Declaration.objects.bulk_create(
        Declaration(
            expert=experts[e],
            application=applications[rng.randrange(len(applications))],
            conflict=True,
            reason="Жобаның жетекшісі менің туысым.",
            declared_at=now + timedelta(days=1),
        )
        for e in declared
    )
    earlier = 0
    if counts["earlier"]:
        earlier = _last_year(call, made, rng, counts)
    return {
        "member": len(members),
        "employer": len(employed),
        "other_employer": len(others),
        "former": len(former),
        "declared": len(declared),
        "earlier": earlier,
        "applications_last_year": Application.objects.exclude(call=call)
        .filter(receipt_number__startswith="BQ-2025")
        .count(),
    }


def _last_year(call: Any, made: dict[str, Any], rng: random.Random, counts: dict[str, int]) -> int:
    """Last year's call: some of this year's applicants applied to it too, and some of this
    year's experts sat on its panel and declared conflicts there."""
    from baiqau.applications.models import Application
    from baiqau.review.models import Declaration, Expert

    organisations, experts = made["organisations"], made["experts"]
    closes = call.closes_at - timedelta(days=365)
    old = make_call("bench-2025", "2025", "archived", closes, rng)
    n_old = counts["panel"]
    old_orgs = rng.sample(organisations, n_old)
    old_apps = Application.objects.bulk_create(
        Application(
            call=old,
            organisation=o,
            language="kk",
            status="not_awarded",
            receipt_number=f"BQ-2025-{i + 1:07d}",
            submitted_at=closes - timedelta(days=3),
            title_kk=f"Жоба {i}",
            search_text=f"жоба {i}",
        )
        for i, o in enumerate(old_orgs)
    )
    seats = Expert.objects.bulk_create(
        Expert(call=old, user_id=e.user_id, languages=["kk"], profile_done_at=closes)
        for e in rng.sample(experts, n_old)
    )
    Declaration.objects.bulk_create(
        Declaration(
            expert=seat,
            application=app,
            conflict=i < counts["earlier"],
            reason="Ұйымның кеңесінде отырмын." if i < counts["earlier"] else "",
            declared_at=closes + timedelta(days=5),
        )
        for i, (seat, app) in enumerate(zip(seats, old_apps, strict=True))
    )
    return counts["earlier"]


def step_setup(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from baiqau.calls.models import CallRole
    from baiqau.review.models import AssignmentRun, Expert
    from baiqau.review.services import assignment_run_apply
    from baiqau.review.solver import solve_call

    started = time.perf_counter()
    log("migrating and collecting static files")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    migrated = time.perf_counter() - started
    rng = random.Random(args.seed)
    bins = make_bins(args.apps + 10 + OTHER_EMPLOYERS + 10)
    closes = timezone.now() - timedelta(days=10)
    log(f"creating {args.apps:,} applications and {args.experts:,} experts")
    with transaction.atomic():
        big = make_call("bench-big", "2026", "in_review", closes, rng)
        made = populate(big, args.apps, args.experts, rng, bins, "big")
        scale = args.experts / 2000
        counts = {k: round(v * scale) for k, v in CONFLICTS.items()}
        counts.update(other_employers=round(OTHER_EMPLOYERS * scale))
        counts.update(panel=round(EARLIER_PANEL * scale))
        conflicts = add_conflicts(big, made, rng, bins, counts)
        small = make_call("bench-small", "Small", "in_review", closes, rng)
        small_made = populate(small, 10, 4, rng, bins, "small")
        small_counts = {"member": 1, "employer": 0, "former": 0, "declared": 0, "earlier": 0}
        add_conflicts(small, small_made, rng, bins, small_counts)
        organiser = get_user_model().objects.create(
            email="organiser@bench.example", full_name="Bench Organiser", password=UNUSABLE_PASSWORD
        )
        for call in (big, small):
            CallRole.objects.create(call=call, user=organiser, role="organiser")
        for expert in Expert.objects.filter(call=big, is_commission=True):
            role = "chair" if expert.is_chair else "member"
            CallRole.objects.create(call=big, user_id=expert.user_id, role=role)
    created = time.perf_counter() - started - migrated
    log(f"created in {created:.1f} s; assigning the small call")
    result = solve_call(small)
    run = AssignmentRun.objects.create(
        call=small,
        created_by=organiser,
        status="proposed",
        progress=100,
        stage="done",
        result=result,
        finished_at=timezone.now(),
    )
    applied = assignment_run_apply(actor=organiser, run=run)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    return {
        "big": big.pk,
        "small": small.pk,
        "organiser": organiser.pk,
        "small_run": run.pk,
        "small_assigned": len(applied),
        "conflicts": conflicts,
        "pg": pg_version,
        "db_mb": size / 1024 / 1024,
        "migrate_s": migrated,
        "create_s": created,
    }


# --------------------------------------------------------------------------- steps


def sql_kind(sql: str) -> str:
    """A query's statement and first table, e.g. 'INSERT review_assignment'."""
    text = sql.lstrip()
    for verb, pattern in (
        ("SAVEPOINT", r"^SAVEPOINT"),
        ("RELEASE", r"^RELEASE SAVEPOINT"),
        ("ROLLBACK TO", r"^ROLLBACK TO SAVEPOINT"),
        ("INSERT", r'^INSERT INTO "(\w+)"'),
        ("UPDATE", r'^UPDATE "(\w+)"'),
        ("DELETE", r'^DELETE FROM "(\w+)"'),
        ("SELECT", r'^SELECT .*? FROM "(\w+)"'),
        ("SELECT", r"^SELECT (pg_\w+)"),
    ):
        found = re.match(pattern, text, re.S)
        if found:
            return f"{verb} {found.group(1)}" if found.groups() else verb
    return text.split(" ", 1)[0]


def step_build(ids: dict[str, Any]) -> dict[str, Any]:
    import numpy as np
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baiqau.calls.models import Call
    from baiqau.review.selectors import call_conflicts
    from baiqau.review.solver import build

    call = Call.objects.get(pk=ids["big"])
    meter = Meter()
    with CaptureQueriesContext(connection) as queries:
        built = build(call)
    figures = meter.stop()
    figures["queries"] = len(queries.captured_queries)
    figures["sql_s"] = sum(float(q["time"]) for q in queries.captured_queries)
    problem = built.problem
    assert problem.expert_languages is not None  # build() always sets the languages
    reads = problem.expert_languages[:, problem.app_language]  # experts × applications
    figures.update(
        apps=len(built.app_ids),
        experts=len(built.expert_ids),
        reviews_needed=int(problem.reviews_needed.sum()),
        capacity=int(problem.max_load.sum()),
        forbidden=len(problem.forbidden_keys),
        language_excluded=int(reads.size - np.count_nonzero(reads)),
        pairs=reads.size,
        text_chars=sum(len(t) for t in built.app_texts) + sum(len(t) for t in built.expert_texts),
    )
    del built, reads
    meter = Meter()
    with CaptureQueriesContext(connection) as queries:
        conflicts = call_conflicts(call)
    figures["conflicts"] = meter.stop()
    figures["conflicts"].update(
        queries=len(queries.captured_queries),
        pairs=len(conflicts),
        reasons=dict(Counter(conflicts.values())),
    )
    return figures


def step_solve(ids: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from baiqau.calls.models import Call
    from baiqau.review.models import AssignmentRun
    from baiqau.review.selectors import call_conflicts
    from baiqau.review.solver import solve_call

    call = Call.objects.get(pk=ids["big"])
    organiser = get_user_model().objects.get(pk=ids["organiser"])
    marks: list[tuple[str, float]] = []

    def progress(stage: str, _fraction: float) -> None:
        if not marks or marks[-1][0] != stage:
            marks.append((stage, time.perf_counter()))

    meter = Meter()
    result = solve_call(call, progress=progress)
    figures = meter.stop()
    end = meter.started + figures["seconds"]
    stages = []
    for i, (stage, at) in enumerate(marks):
        until = marks[i + 1][1] if i + 1 < len(marks) else end
        stages.append([stage, until - at])
    figures["stages"] = stages
    figures["summary"] = result["summary"]
    figures["problems"] = [p["kind"] for p in result["problems"]]
    pairs = result["pairs"]
    conflicts = call_conflicts(call)
    figures["conflicted_pairs_proposed"] = sum((e, a) in conflicts for a, e, _f in pairs)
    figures["duplicate_pairs"] = len(pairs) - len({(a, e) for a, e, _f in pairs})
    started = time.perf_counter()
    run = AssignmentRun.objects.create(
        call=call,
        created_by=organiser,
        status="proposed",
        progress=100,
        stage="done",
        result=result,
        finished_at=timezone.now(),
    )
    figures["save_s"] = time.perf_counter() - started
    figures["json_mb"] = len(json.dumps(result)) / 1024 / 1024
    figures["run"] = run.pk
    return figures


def step_apply(ids: dict[str, Any]) -> dict[str, Any]:
    from collections import deque

    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import baiqau.notifications.services as notifications
    from baiqau.audit.models import AuditEvent
    from baiqau.notifications.models import EmailDelivery, Notification
    from baiqau.review.models import Assignment, AssignmentRun
    from baiqau.review.services import assignment_run_apply

    organiser = get_user_model().objects.get(pk=ids["organiser"])
    run = AssignmentRun.objects.get(pk=ids["run"])
    proposed = len(run.result["pairs"])
    mail.outbox = []
    stamps: dict[str, float] = {}
    spans: dict[str, list[float]] = {}  # phase: [first query's start, last query's end]
    counts: dict[str, int] = {}
    last = {"end": 0.0}

    def phase(sql: str) -> str | None:
        if "pg_advisory_xact_lock" in sql or sql.startswith('INSERT INTO "audit_auditevent"'):
            return "audit"
        if sql.startswith('INSERT INTO "review_assignment"'):
            return "insert"
        if sql.startswith('SELECT "accounts_user"') or '"notifications_' in sql[:200]:
            return "notify"
        return None

    def stamp(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            last["end"] = time.perf_counter()
            name = phase(sql) if "first_delivery" not in stamps else None
            if name is not None:
                spans.setdefault(name, [start, 0.0])[1] = last["end"]
            if "pg_advisory_xact_lock" in sql:
                stamps.setdefault("audit_lock", start)

    original = notifications.enqueue_delivery

    def enqueue(delivery_pk: int) -> None:
        # The first e-mail is enqueued by the first on_commit callback: just after COMMIT.
        if "first_delivery" not in stamps:
            stamps["first_delivery"] = time.perf_counter()
            stamps["last_before_commit"] = last["end"]
            counts["before_commit"] = len(queries.captured_queries)
        original(delivery_pk)

    notifications.enqueue_delivery = enqueue
    # Django keeps the last 9,000 queries only (BaseDatabaseWrapper.queries_limit).
    connection.queries_log = deque(maxlen=1_000_000)
    meter = Meter()
    with connection.execute_wrapper(stamp), CaptureQueriesContext(connection) as queries:
        created = assignment_run_apply(actor=organiser, run=run)
    figures = meter.stop()
    notifications.enqueue_delivery = original
    t0 = meter.started
    captured = queries.captured_queries
    before = counts.get("before_commit", len(captured))
    kinds: Counter[str] = Counter(sql_kind(q["sql"]) for q in captured[:before])
    after: Counter[str] = Counter(sql_kind(q["sql"]) for q in captured[before:])
    figures.update(
        proposed=proposed,
        created=len(created),
        queries=len(captured),
        queries_before_commit=before,
        queries_after_commit=len(captured) - before,
        sql_s=sum(float(q["time"]) for q in captured),
        sql_before_commit_s=sum(float(q["time"]) for q in captured[:before]),
        kinds_before=kinds.most_common(),
        kinds_after=after.most_common(),
        checks_s=spans["insert"][0] - t0,
        insert_s=spans["insert"][1] - spans["insert"][0],
        audit_s=spans["audit"][1] - spans["audit"][0],
        notify_s=spans["notify"][1] - spans["notify"][0],
        order=[name for name, _span in sorted(spans.items(), key=lambda item: item[1][0])],
        until_commit_s=stamps.get("first_delivery", t0 + figures["seconds"]) - t0,
        commit_s=stamps.get("first_delivery", 0.0) - stamps.get("last_before_commit", 0.0),
        deliveries_s=t0 + figures["seconds"] - stamps.get("first_delivery", t0),
        audit_lock_held_s=stamps.get("first_delivery", 0.0) - stamps.get("audit_lock", 0.0),
    )
    event = AuditEvent.objects.filter(action="assignment.bulk_added", subject_id=str(ids["big"]))
    figures["audit_event_kb"] = len(json.dumps(event.get().data)) / 1024
    call_id = ids["big"]
    figures["assignments"] = Assignment.objects.filter(application__call_id=call_id).count()
    figures["notifications"] = Notification.objects.filter(
        call_id=call_id, kind="reviews_assigned"
    ).count()
    figures["experts_assigned"] = (
        Assignment.objects.filter(application__call_id=call_id)
        .values("expert_id")
        .distinct()
        .count()
    )
    figures["emails_sent"] = EmailDelivery.objects.filter(
        notification__call_id=call_id, status="sent"
    ).count()
    figures["outbox"] = len(getattr(mail, "outbox", []))
    return figures


def timed_get(client: Any, url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return (time.perf_counter() - start) * 1000, response.status_code, len(body)


def count_queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        _ms, status, _size = timed_get(client, url)
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    return len(context.captured_queries)


def measure_page(client: Any, url: str, small_url: str, runs: int) -> dict[str, Any]:
    _ms, status, size = timed_get(client, url)  # warm-up
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    times = []
    for _ in range(runs):
        ms, status, size = timed_get(client, url)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}")
        times.append(ms)
    return {
        "median": statistics.median(times),
        "max": max(times),
        "kb": size / 1024,
        "queries_small": count_queries(client, small_url),
        "queries_big": count_queries(client, url),
    }


def step_pages(ids: dict[str, Any], runs: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from baiqau.calls.models import Call
    from baiqau.review.models import Expert

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # autovacuum would, within a minute of 60,000 inserts
    big, small = Call.objects.get(pk=ids["big"]), Call.objects.get(pk=ids["small"])
    client = Client()
    client.force_login(get_user_model().objects.get(pk=ids["organiser"]))
    pages = {
        "assignments, page 1": ("jury/assignments/", "jury/assignments/"),
        "assignments, page 300": ("jury/assignments/?page=300", "jury/assignments/?page=300"),
        "review progress": ("jury/progress/", "jury/progress/"),
        "experts, page 1": ("jury/experts/", "jury/experts/"),
        "solver run (proposal, page 1)": (
            f"jury/runs/{ids['run']}/",
            f"jury/runs/{ids['small_run']}/",
        ),
    }
    figures: dict[str, Any] = {}
    for name, (path, small_path) in pages.items():
        url = f"/en/manage/calls/{big.slug}/{path}"
        small_url = f"/en/manage/calls/{small.slug}/{small_path}"
        figures[name] = measure_page(client, url, small_url, runs)
        f = figures[name]
        log(
            f"{name:<30} median {f['median']:7.1f} ms, max {f['max']:7.1f} ms, "
            f"{f['kb']:6.0f} kB, queries {f['queries_small']} / {f['queries_big']}"
        )

    def busiest(call: Call) -> Expert:
        found = (
            Expert.objects.filter(call=call)
            .annotate(n=Count("assignments"))
            .select_related("user")
            .order_by("-n", "pk")
            .first()
        )
        if found is None:
            raise RuntimeError(f"no expert in {call.slug}")
        return found

    expert, small_expert = busiest(big), busiest(small)
    expert_client, small_client = Client(), Client()
    expert_client.force_login(expert.user)
    small_client.force_login(small_expert.user)
    url = f"/en/expert/calls/{big.slug}/"
    queue = measure_page(expert_client, url, url, runs)
    queue["queries_small"] = count_queries(small_client, f"/en/expert/calls/{small.slug}/")
    queue["assigned"] = expert.assignments.count()
    queue["assigned_small"] = small_expert.assignments.count()
    name = f"expert's queue ({queue['assigned']} assigned; {queue['assigned_small']} in the small call)"
    figures[name] = queue
    log(
        f"{name}: median {queue['median']:.1f} ms, queries {queue['queries_small']} / "
        f"{queue['queries_big']}"
    )
    return figures


def child(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    ids = json.loads(args.ids)
    if args.child == "setup":
        figures = step_setup(args)
    elif args.child == "build":
        figures = step_build(ids)
    elif args.child == "solve":
        figures = step_solve(ids)
    elif args.child == "apply":
        figures = step_apply(ids)
    else:
        figures = step_pages(ids, args.runs)
    print(json.dumps(figures, default=str))
    return 0


# --------------------------------------------------------------------------- report


def machine() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores ({platform.machine()}){memory}, {platform.system()}, "
        f"Python {platform.python_version()}"
    )


def mem(step: dict[str, Any]) -> str:
    return f"{step['peak_mb']:.0f} MB ({step['ru_maxrss_mb']:.0f} MB)"


STAGE_NAMES = {
    "reading": "reading the call (`build`)",
    "text": "TF-IDF",
    "affinity": "affinity and top-K graph",
    "solving": "arrays to the flow",
    "solve": "min-cost flow",
    "widen": "widening and second solve",
    "done": "pairs to JSON",
}


def steps_table(figures: dict[str, Any]) -> list[str]:
    build, solve, apply = figures["build"], figures["solve"], figures["apply"]
    conflicts = build["conflicts"]
    summary = solve["summary"]
    by_stage: dict[str, float] = {}  # "solve" comes back after "widen": summed
    for stage, seconds in solve["stages"]:
        by_stage[stage] = by_stage.get(stage, 0.0) + seconds
    stages = "; ".join(
        f"{STAGE_NAMES.get(stage, stage)} {seconds:.1f} s"
        for stage, seconds in by_stage.items()
        if seconds >= 0.05
    )
    reasons = ", ".join(f"{n:,} {reason}" for reason, n in sorted(conflicts["reasons"].items()))
    top = ", ".join(f"{n:,} × {kind}" for kind, n in apply["kinds_before"][:7])
    after = ", ".join(f"{n:,} × {kind}" for kind, n in apply["kinds_after"][:4])
    phase_text = {
        "insert": f"{apply['created']:,} assignments inserted {apply['insert_s']:.1f} s",
        "audit": f"audit event ({apply['audit_event_kb']:,.0f} kB) {apply['audit_s']:.1f} s",
        "notify": f"{apply['notifications']:,} notifications {apply['notify_s']:.1f} s",
    }
    phases = ", then ".join(phase_text[name] for name in apply["order"])
    return [
        "| step | time | queries (SQL time) | peak RSS of the step (child's ru_maxrss) "
        "| other work (cores) | details |",
        "|---|---|---|---|---|---|",
        f"| `build(call)`: database → arrays | {build['seconds']:.1f} s | {build['queries']} "
        f"({build['sql_s']:.1f} s) | {mem(build)} | {build['other_cores']:.1f} | "
        f"{build['apps']:,} applications, {build['experts']:,} experts; "
        f"{build['reviews_needed']:,} reviews needed, capacity {build['capacity']:,}; "
        f"{build['forbidden']:,} forbidden pairs; {build['language_excluded']:,} of "
        f"{build['pairs']:,} pairs excluded by language |",
        f"| `call_conflicts(call)` alone | {conflicts['seconds']:.2f} s | {conflicts['queries']} "
        f"| {mem(conflicts)} | {conflicts['other_cores']:.1f} | {conflicts['pairs']:,} pairs: "
        f"{reasons} |",
        f"| `solve_call(call)` | {solve['seconds']:.1f} s | — | {mem(solve)} | "
        f"{solve['other_cores']:.1f} | {stages}; {summary['assigned']:,} pairs, coverage "
        f"{summary['coverage']} %, mean affinity {summary['mean_affinity']}, min "
        f"{summary['min_affinity']}, loads {summary['load_min']}–{summary['load_max']}, "
        f"status {summary['status']}; problems: {', '.join(solve['problems']) or 'none'}; "
        f"conflicted pairs proposed: {solve['conflicted_pairs_proposed']} |",
        f"| saving the proposal (`AssignmentRun.result`) | {solve['save_s']:.2f} s | 1 | — | — "
        f"| {solve['json_mb']:.1f} MB of JSON |",
        f"| `assignment_run_apply` | {apply['seconds']:.1f} s | {apply['queries']:,} "
        f"({apply['sql_s']:.1f} s) | {mem(apply)} | {apply['other_cores']:.1f} | "
        f"until the commit {apply['until_commit_s']:.1f} s ({apply['queries_before_commit']:,} "
        f"queries, SQL {apply['sql_before_commit_s']:.1f} s): checks and conflicts "
        f"{apply['checks_s']:.1f} s, {phases}; commit "
        f"{apply['commit_s']:.2f} s; then {apply['emails_sent']:,} e-mails "
        f"{apply['deliveries_s']:.1f} s ({apply['queries_after_commit']:,} queries). Audit "
        f"chain lock held {apply['audit_lock_held_s']:.1f} s. Queries before the commit: "
        f"{top}; after: {after} |",
    ]


def pages_table(figures: dict[str, Any], apps: int) -> list[str]:
    lines = [
        f"| page | median | max | HTML | queries, 10 / {apps:,} applications |",
        "|---|---|---|---|---|",
    ]
    for name, p in figures["pages"].items():
        same = "" if p["queries_small"] == p["queries_big"] else " **differs**"
        lines.append(
            f"| {name} | {p['median']:.0f} ms | {p['max']:.0f} ms | {p['kb']:,.0f} kB | "
            f"{p['queries_small']} / {p['queries_big']}{same} |"
        )
    return lines


def checks(figures: dict[str, Any]) -> list[str]:
    problems = []
    apply, solve = figures["apply"], figures["solve"]
    if apply["created"] != apply["proposed"]:
        problems.append(f"{apply['created']} of {apply['proposed']} proposed pairs applied")
    if apply["notifications"] != apply["experts_assigned"]:
        problems.append(
            f"{apply['notifications']} notifications for {apply['experts_assigned']} experts"
        )
    if apply["emails_sent"] != apply["notifications"] or apply["outbox"] != apply["emails_sent"]:
        problems.append(f"{apply['emails_sent']} e-mails sent, {apply['outbox']} in the outbox")
    if solve["conflicted_pairs_proposed"] or solve["duplicate_pairs"]:
        problems.append("a conflicted or duplicate pair was proposed")
    for name, p in figures["pages"].items():
        if p["queries_small"] != p["queries_big"]:
            problems.append(f"{name}: {p['queries_small']} vs {p['queries_big']} queries")
    return problems


def what_it_shows(figures: dict[str, Any]) -> list[str]:
    apply, solve, build = figures["apply"], figures["solve"], figures["build"]
    pages = figures["pages"]
    slowest = max(pages.items(), key=lambda item: item[1]["median"])
    in_request = apply["seconds"] - apply["deliveries_s"]
    before = dict(apply["kinds_before"])
    per_expert = {
        kind: n for kind, n in before.items() if n >= apply["notifications"] > 0
    }  # the queries run once per notified expert
    audit_first = apply["order"].index("audit") < apply["order"].index("notify")
    lines = [
        f"- **Applying the proposal takes {apply['seconds']:.0f} s**, in the background task "
        f"`review.tasks.apply_assignment` that the run page follows (the web request only "
        f"confirms it): {apply['until_commit_s']:.0f} s until the commit, then "
        f"{apply['deliveries_s']:.0f} s sending the {apply['emails_sent']:,} e-mails, because "
        f"the immediate task backend runs each delivery once the transaction commits. With "
        f"`TASK_BACKEND=database`, as in production, those are {apply['emails_sent']:,} task "
        f"rows for the worker instead, and the task takes about {in_request:.0f} s "
        f"(gunicorn's {GUNICORN_TIMEOUT_S:.0f} s worker timeout no longer applies to it).",
        f"- The audit chain's advisory lock, taken by `audit_record` and held until the "
        f"commit, is held for {apply['audit_lock_held_s']:.1f} s: every audited action on the "
        f"platform (a submission, a declaration, a score) waits behind it meanwhile."
        + (
            f" `_bulk_assign` records the audit event before notifying the "
            f"{apply['notifications']:,} experts ({apply['notify_s']:.1f} s); recording it "
            f"after them would leave the lock held for the commit only."
            if audit_first
            else ""
        ),
        f"- The queries of applying grow with the number of experts: "
        f"{apply['queries_before_commit']:,} until the commit, of which "
        + ", ".join(f"{n:,} × {kind}" for kind, n in per_expert.items())
        + " (one each per notified expert"
        + (
            f"; the {before['SELECT accounts_user']:,} user look-ups are `experts[expert_id]."
            f"user` in `_notify_experts`, loaded without `select_related`)"
            if before.get("SELECT accounts_user", 0) >= apply["notifications"]
            else ")"
        )
        + f", and {apply['queries_after_commit']:,} to deliver the e-mails. Inserting the "
        f"{apply['created']:,} assignments takes {apply['insert_s']:.1f} s in "
        f"{before.get('INSERT review_assignment', 0)} statements.",
        f"- Reading the call for the solver is cheap: `build(call)` takes "
        f"{build['seconds']:.1f} s and {build['queries']} queries (`call_conflicts` "
        f"{build['conflicts']['seconds']:.1f} s of it"
        + (
            ", most of that on the lists of 20,000 application and organisation ids it "
            "sends to PostgreSQL as `IN (…)`"
            if build["conflicts"]["seconds"] > 0.5
            else ""
        )
        + f"). `solve_call` takes "
        f"{solve['seconds']:.0f} s in all, with a peak of {solve['peak_mb']:.0f} MB: past "
        f"reading the call, it is the pure solver of `bench/assignment.py` (TF-IDF is half "
        f"of it), and in the background in any case. Realistic "
        f"conflicts ({build['forbidden']:,} pairs) leave the languages as the main "
        f"exclusion ({build['language_excluded'] / build['pairs']:.0%} of pairs).",
        f"- Every page costs the same number of queries for 10 and for 20,000 applications. "
        f"The slowest is the {slowest[0]}: {slowest[1]['median']:.0f} ms median, "
        f"{slowest[1]['kb']:,.0f} kB of HTML.",
    ]
    progress, overview = pages["review progress"], pages["assignments, page 1"]
    if progress["median"] > 1000:
        lines.append(
            f"- The review progress page takes {progress['median'] / 1000:.1f} s: "
            f"`call_progress` loads every reviewable application whole (summaries included) "
            f"with its review settings, {build['apps']:,} model instances, to find the few "
            f"that lack reviewers; the page then lists all {build['experts']:,} experts, "
            f"each with a reminder form ({progress['kb']:,.0f} kB)."
        )
    if overview["median"] > 300:
        lines.append(
            f"- The assignments list takes {overview['median']:.0f} ms for 50 rows: "
            f"`assignment_overview` groups and sorts the {build['apps']:,} applications' whole "
            f"rows (summaries and search text included; the sort spills to disk with "
            f"PostgreSQL's default `work_mem`) and joins their organisations, which the page "
            f"does not show; `latest_run` loads the last run's proposal "
            f"({solve['json_mb']:.1f} MB of JSON) to show its status."
        )
    return lines


SECTION_TEXT = """\
{section}

```sh
.venv/bin/python bench/assignment_db.py --record
```

End to end through the real code on PostgreSQL {pg}, the national programme's scale:
{apps:,} eligible applications (each its own organisation, titles and summaries in Kazakh,
Russian or English from 12 topics, one or two areas each) and {experts:,} active experts
(expertise in their own words from 1–2 topics, 1–2 languages, the topics' areas), 3 reviews
per application, maximum load 35. Conflicts of interest as the platform detects them, about
1,750 pairs in all (0.004 % of the pairs; `bench/assignment.py` forbids 5 %, a much harder
case): {conflicts}. Each step runs in a fresh child process of a parent that does not load
Django, so its `ru_maxrss` is its own (Django start-up included); "peak RSS of the step" is
VmHWM reset just before the step. "Other work" is the machine's busy CPU minus the step's
process and its PostgreSQL backend, in cores. Settings: DEBUG=0,
`TASK_BACKEND=immediate` (e-mails are sent in the process, after the commit),
`EMAIL_URL=memorymail://` (Django's locmem backend), STAFF_REQUIRE_MFA=0. Queries are
counted with `CaptureQueriesContext`, which also slows them a little. Pages are fetched with
Django's test Client in-process after an ANALYZE (no WSGI server or network), median and
maximum of {runs} runs after a warm-up; query counts are compared with a call of 10
applications and 4 experts, assigned the same way.

Machine: {machine}; load average at start {load:.1f}. Data set-up (not timed as a
step): migrations {migrate_s:.0f} s, bulk creation {create_s:.0f} s, database {db_mb:,.0f} MB.

{steps}

{pages}

What the run of {today} shows:

{shows}
"""


def section(figures: dict[str, Any], args: argparse.Namespace, today: str) -> str:
    setup = figures["setup"]
    conflicts = setup["conflicts"]
    described = (
        f"{conflicts['member']:,} experts are members of an applicant organisation, "
        f"{conflicts['employer']:,} work for one (`employer_bin`; {conflicts['other_employer']:,} "
        f"more give the BIN of an organisation that did not apply), {conflicts['former']:,} "
        f"used to be members of one, {conflicts['declared']:,} declared a conflict with an "
        f"application of this call, and {conflicts['earlier']:,} declared one last year with "
        f"an organisation that applies again"
    )
    text = SECTION_TEXT.format(
        section=SECTION,
        pg=setup["pg"].split()[0],
        apps=args.apps,
        experts=args.experts,
        conflicts=described,
        runs=args.runs,
        machine=machine(),
        load=figures["load"],
        migrate_s=setup["migrate_s"],
        create_s=setup["create_s"],
        db_mb=setup["db_mb"],
        steps="\n".join(steps_table(figures)),
        pages="\n".join(pages_table(figures, args.apps)),
        today=today,
        shows="\n".join(what_it_shows(figures)),
    )
    return wrap(text)


def wrap(text: str, width: int = 95) -> str:
    """Wrap the section's paragraphs and list items as the rest of the file is wrapped."""

    def fill(paragraph: str, indent: str = "") -> str:
        return textwrap.fill(
            " ".join(paragraph.split()),
            width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    blocks = []
    for block in text.split("\n\n"):
        if block.startswith(("|", "```", "#")):
            blocks.append(block)
        elif block.startswith("- "):
            items = re.split(r"\n(?=- )", block)
            blocks.append("\n".join(fill(item, "  ") for item in items))
        else:
            blocks.append(fill(block))
    return "\n\n".join(blocks)


def record(text: str) -> None:
    """Replace the section in docs/benchmarks.md, or append it at the end."""
    docs = DOCS.read_text(encoding="utf-8")
    if SECTION in docs:
        start = docs.index(SECTION)
        following = docs.find("\n## ", start + len(SECTION))
        rest = docs[following + 1 :] if following != -1 else ""
        docs = docs[:start].rstrip() + "\n\n" + text.rstrip() + "\n" + ("\n" + rest if rest else "")
    else:
        docs = docs.rstrip() + "\n\n" + text.rstrip() + "\n"
    DOCS.write_text(docs, encoding="utf-8")
    log(f"wrote the section to {DOCS.relative_to(ROOT)}")


# --------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    if args.child:
        return child(args)
    load = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="baiqau-bench-assignment-"))
    env = environment(args.db, data_dir)
    figures: dict[str, Any] = {"load": load}
    admin_execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    admin_execute(f'CREATE DATABASE "{args.db}"')
    try:
        ids: dict[str, Any] = {}
        for step in STEPS:
            log(f"step {step} …")
            figures[step] = run_child(step, args, env, ids)
            if step == "setup":
                ids = {k: figures["setup"][k] for k in ("big", "small", "organiser", "small_run")}
            if step == "solve":
                ids["run"] = figures["solve"]["run"]
            if step in ("build", "solve", "apply"):
                f = figures[step]
                log(
                    f"{step}: {f['seconds']:.1f} s, peak {f['peak_mb']:.0f} MB "
                    f"(ru_maxrss {f['ru_maxrss_mb']:.0f} MB), other work "
                    f"{f['other_cores']:.1f} cores"
                )
    finally:
        if not args.keep_db:
            admin_execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    today = datetime.now(UTC).date().isoformat()
    text = section(figures, args, today)
    print(text)
    problems = checks(figures)
    print("checks: " + ("; ".join(problems) or "all passed"))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    if args.record:
        record(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
