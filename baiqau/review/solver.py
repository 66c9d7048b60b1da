"""From the database to the pure solver (`baiqau.domain.assignment`) and back.

The solver only fills what is missing: existing assignments count towards each application's
reviews and each expert's load, and their pairs are not proposed again. Hard exclusions are
conflicts of interest (declared or detected) and languages the expert does not read.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from baiqau.applications.models import Application
from baiqau.calls.models import Call
from baiqau.domain import assignment as solver

from .models import ApplicationReviewSettings, Assignment, Bid, Expert, ExpertStatus
from .selectors import REVIEWABLE, call_conflicts
from .services.common import plan_for

LANGUAGE_CODES = ("kk", "ru", "en")
LANGUAGE_NAMES: dict[str, Any] = {
    "kk": gettext_lazy("Kazakh"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
}
Progress = Callable[[str, float], None]


@dataclass
class Built:
    app_ids: list[int]
    expert_ids: list[int]
    problem: solver.Problem
    app_texts: list[str]
    expert_texts: list[str]
    app_tags: np.ndarray
    expert_tags: np.ndarray
    bids: tuple[np.ndarray, np.ndarray, np.ndarray] | None


def _text(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def build(call: Call, *, only_applications: Iterable[int] | None = None) -> Built:
    """The solver's arrays for a call. A fixed number of queries."""
    plan = plan_for(call)
    apps = list(
        Application.objects.filter(call=call, status__in=REVIEWABLE)
        .annotate(
            n_have=Count(
                "assignments",
                filter=Q(assignments__expert__status=ExpertStatus.ACTIVE),
                distinct=True,
            )
        )
        .order_by("pk")
        .values(
            "pk",
            "language",
            "n_have",
            "title_kk",
            "title_ru",
            "title_en",
            "summary_kk",
            "summary_ru",
            "summary_en",
        )
    )
    experts = list(
        Expert.objects.filter(call=call, status=ExpertStatus.ACTIVE)
        .annotate(n_load=Count("assignments", distinct=True))
        .order_by("pk")
    )
    app_ids = [a["pk"] for a in apps]
    expert_ids = [e.pk for e in experts]
    app_index = {pk: i for i, pk in enumerate(app_ids)}
    expert_index = {pk: j for j, pk in enumerate(expert_ids)}

    overrides = dict(
        ApplicationReviewSettings.objects.filter(
            application_id__in=app_ids, reviews_needed__isnull=False
        ).values_list("application_id", "reviews_needed")
    )
    only = set(only_applications) if only_applications is not None else None
    needed = np.array(
        [
            0
            if only is not None and a["pk"] not in only
            else max(0, overrides.get(a["pk"], plan.reviews_per_application) - a["n_have"])
            for a in apps
        ],
        dtype=np.int64,
    )
    loads = np.array([getattr(e, "n_load", 0) for e in experts], dtype=np.int64)
    max_load = np.array(
        [plan.max_load if e.max_load is None else e.max_load for e in experts], dtype=np.int64
    )
    min_load = np.array(
        [plan.min_load if e.min_load is None else e.min_load for e in experts], dtype=np.int64
    )
    max_left = np.maximum(0, max_load - loads)
    min_left = np.minimum(np.maximum(0, min_load - loads), max_left)
    if only is not None:
        min_left = np.zeros_like(min_left)

    forbidden: set[tuple[int, int]] = set()
    for expert_id, app_id in call_conflicts(call, experts=experts):
        if expert_id in expert_index and app_id in app_index:
            forbidden.add((app_index[app_id], expert_index[expert_id]))
    for expert_id, app_id in Assignment.objects.filter(application__call=call).values_list(
        "expert_id", "application_id"
    ):
        if expert_id in expert_index and app_id in app_index:
            forbidden.add((app_index[app_id], expert_index[expert_id]))
    pairs = sorted(forbidden)
    forbidden_apps = np.array([p[0] for p in pairs], dtype=np.int64)
    forbidden_experts = np.array([p[1] for p in pairs], dtype=np.int64)

    app_language = np.array(
        [
            LANGUAGE_CODES.index(a["language"]) if a["language"] in LANGUAGE_CODES else 0
            for a in apps
        ],
        dtype=np.int64,
    )
    expert_languages = np.ones((len(experts), len(LANGUAGE_CODES)), dtype=bool)
    for j, expert in enumerate(experts):
        if expert.languages:
            expert_languages[j] = [code in expert.languages for code in LANGUAGE_CODES]

    tag_ids = list(call.expertise_tags.order_by("pk").values_list("pk", flat=True))
    tag_index = {pk: k for k, pk in enumerate(tag_ids)}
    tag_names = {t.pk: _text(t.name_kk, t.name_ru, t.name_en) for t in call.expertise_tags.all()}
    app_tags = np.zeros((len(apps), len(tag_ids)), dtype=bool)
    for app_id, tag_id in ApplicationReviewSettings.tags.through.objects.filter(
        applicationreviewsettings__application_id__in=app_ids
    ).values_list("applicationreviewsettings__application_id", "expertisetag_id"):
        app_tags[app_index[app_id], tag_index[tag_id]] = True
    expert_tags = np.zeros((len(experts), len(tag_ids)), dtype=bool)
    expert_tag_words: dict[int, list[str]] = defaultdict(list)
    for expert_id, tag_id in Expert.tags.through.objects.filter(
        expert_id__in=expert_ids
    ).values_list("expert_id", "expertisetag_id"):
        expert_tags[expert_index[expert_id], tag_index[tag_id]] = True
        expert_tag_words[expert_id].append(tag_names[tag_id])

    bids = None
    if plan.bidding_open:
        rows = [
            (app_index[a], expert_index[e], v)
            for a, e, v in Bid.objects.filter(application_id__in=app_ids).values_list(
                "application_id", "expert_id", "value"
            )
            if a in app_index and e in expert_index
        ]
        if rows:
            bids = (
                np.array([r[0] for r in rows], dtype=np.int64),
                np.array([r[1] for r in rows], dtype=np.int64),
                np.array([r[2] for r in rows], dtype=np.int64),
            )
    problem = solver.Problem(
        reviews_needed=needed,
        min_load=min_left,
        max_load=max_left,
        forbidden_apps=forbidden_apps,
        forbidden_experts=forbidden_experts,
        app_language=app_language,
        expert_languages=expert_languages,
    )
    return Built(
        app_ids=app_ids,
        expert_ids=expert_ids,
        problem=problem,
        app_texts=[
            _text(
                a["title_kk"],
                a["title_ru"],
                a["title_en"],
                a["summary_kk"],
                a["summary_ru"],
                a["summary_en"],
            )
            for a in apps
        ],
        expert_texts=[_text(e.expertise, *expert_tag_words.get(e.pk, [])) for e in experts],
        app_tags=app_tags,
        expert_tags=expert_tags,
        bids=bids,
    )


def _shortfall_json(built: Built, shortfall: solver.Shortfall) -> dict[str, Any]:
    return {
        "kind": shortfall.kind,
        "applications": [built.app_ids[i] for i in shortfall.applications],
        "experts": [built.expert_ids[j] for j in shortfall.experts],
        "needed": int(shortfall.needed),
        "available": int(shortfall.available),
        "language": (
            LANGUAGE_CODES[shortfall.language]
            if shortfall.language is not None and 0 <= shortfall.language < len(LANGUAGE_CODES)
            else None
        ),
    }


def solve_call(
    call: Call,
    *,
    progress: Progress | None = None,
    only_applications: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Propose assignments for what is missing. JSON-ready: pairs, summary and problems."""
    started = time.perf_counter()
    report = progress or (lambda _stage, _fraction: None)
    report("reading", 0.02)
    built = build(call, only_applications=only_applications)
    total_needed = int(built.problem.reviews_needed.sum())
    summary: dict[str, Any] = {
        "applications": len(built.app_ids),
        "experts": len(built.expert_ids),
        "reviews_needed": total_needed,
    }
    if not built.app_ids or total_needed == 0:
        summary.update(assigned=0, coverage=100.0, mean_affinity=None, min_affinity=None)
        return {"pairs": [], "summary": summary, "problems": []}
    if not built.expert_ids:
        problem = {
            "kind": "capacity",
            "applications": [],
            "experts": [],
            "needed": total_needed,
            "available": 0,
        }
        summary.update(assigned=0, coverage=0.0, mean_affinity=None, min_affinity=None)
        return {"pairs": [], "summary": summary, "problems": [problem]}
    candidates = solver.compute_candidates(
        built.app_texts,
        built.expert_texts,
        built.app_tags,
        built.expert_tags,
        built.problem,
        bids=built.bids,
        progress=lambda stage, fraction: report(stage, 0.05 + 0.6 * fraction),
    )
    report("solving", 0.7)
    solution = solver.solve(
        built.problem,
        candidates,
        progress=lambda stage, fraction: report(stage, 0.7 + 0.28 * fraction),
    )
    pairs = [
        [built.app_ids[int(a)], built.expert_ids[int(e)], round(float(f), 4)]
        for a, e, f in zip(solution.apps, solution.experts, solution.affinity, strict=True)
    ]
    affinities = [p[2] for p in pairs]
    loads = np.bincount(
        np.asarray(solution.experts, dtype=np.int64), minlength=len(built.expert_ids)
    )
    summary.update(
        assigned=len(pairs),
        coverage=round(100.0 * len(pairs) / total_needed, 1),
        mean_affinity=round(sum(affinities) / len(affinities), 3) if affinities else None,
        min_affinity=round(min(affinities), 3) if affinities else None,
        load_min=int(loads.min()),
        load_max=int(loads.max()),
        status=solution.status,
        seconds=round(time.perf_counter() - started, 2),
    )
    report("done", 1.0)
    return {
        "pairs": pairs,
        "summary": summary,
        "problems": [_shortfall_json(built, s) for s in solution.shortfalls],
    }


def reassign_open_reviews(
    call: Call, application_ids: Sequence[int]
) -> list[tuple[int, int, float | None]]:
    """Pairs that give the freed applications their missing reviews, within the others' loads."""
    result = solve_call(call, only_applications=application_ids)
    return [(int(a), int(e), float(f)) for a, e, f in result["pairs"]]


def describe_problems(problems: list[dict[str, Any]]) -> list[str]:
    """Each problem of a run in words a secretary understands, naming the applications."""
    app_ids = {pk for p in problems for pk in p.get("applications", [])}
    expert_ids = {pk for p in problems for pk in p.get("experts", [])}
    titles = {a.pk: str(a.title) for a in Application.objects.filter(pk__in=app_ids)}
    names = {
        e.pk: str(e.user) for e in Expert.objects.filter(pk__in=expert_ids).select_related("user")
    }

    def listing(ids: list[int], lookup: dict[int, str]) -> str:
        shown = [f"“{lookup.get(pk, pk)}”" for pk in ids[:10]]
        more = len(ids) - len(shown)
        text = ", ".join(shown)
        if more > 0:
            text += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
        return text

    texts = []
    for p in problems:
        kind, needed, available = p["kind"], p.get("needed", 0), p.get("available", 0)
        apps, experts = p.get("applications", []), p.get("experts", [])
        if kind == "capacity":
            texts.append(
                _(
                    "The experts can take %(available)s more reviews in all, but the applications "
                    "need %(needed)s. Raise the maximum load per expert, or invite more experts."
                )
                % {"available": available, "needed": needed}
            )
        elif kind == "minimum":
            texts.append(
                _(
                    "The experts' minimum loads add up to %(available)s reviews, more than the "
                    "%(needed)s the applications need. Lower the minimum load."
                )
                % {"available": available, "needed": needed}
            )
        elif kind == "candidates":
            texts.append(
                ngettext(
                    "%(n)s application has fewer experts free of conflict, and able to read "
                    "its language, than the reviews it needs: %(list)s. Invite more experts, "
                    "or lower the number of reviews for it.",
                    "%(n)s applications have fewer experts free of conflict, and able to read "
                    "their language, than the reviews they need: %(list)s. Invite more "
                    "experts, or lower the number of reviews for them.",
                    len(apps),
                )
                % {"n": len(apps), "list": listing(apps, titles)}
            )
        elif kind == "coverage":
            texts.append(
                ngettext(
                    "%(n)s application would still lack reviews: %(list)s. The experts who "
                    "could review it are full: raise their maximum load.",
                    "%(n)s applications would still lack reviews: %(list)s. The experts who "
                    "could review them are full: raise their maximum load.",
                    len(apps),
                )
                % {"n": len(apps), "list": listing(apps, titles)}
            )
        elif kind == "min_load":
            texts.append(
                ngettext(
                    "%(n)s expert cannot reach the minimum load: %(list)s.",
                    "%(n)s experts cannot reach the minimum load: %(list)s.",
                    len(experts),
                )
                % {"n": len(experts), "list": listing(experts, names)}
            )
        elif kind == "limits":
            texts.append(
                ngettext(
                    "For %(n)s expert the minimum load is above the maximum: the maximum "
                    "counts (%(list)s).",
                    "For %(n)s experts the minimum load is above the maximum: the maximum "
                    "counts (%(list)s).",
                    len(experts),
                )
                % {"n": len(experts), "list": listing(experts, names)}
            )
        elif kind == "language":
            texts.append(
                _(
                    "The experts who read %(language)s can take %(available)s reviews of the "
                    "applications written in it, which need %(needed)s. Invite experts who "
                    "read %(language)s."
                )
                % {
                    "language": LANGUAGE_NAMES.get(p.get("language") or "", _("this language")),
                    "available": available,
                    "needed": needed,
                }
            )
        else:
            texts.append(_("The assignment could not be completed."))
    return texts
