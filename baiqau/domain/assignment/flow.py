"""Solving: a min-cost flow on the candidate graph, widened when it leaves reviews short."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .affinity import (
    Candidates,
    _Pairs,
)
from .problem import (
    FULL_GRAPH_PAIRS,
    SCALE,
    WIDEN_BUDGET,
    AssignmentError,
    Bool,
    Float,
    Int,
    Problem,
    Progress,
    Shortfall,
    Status,
    _int_array,
    _listing,
    _report,
    check_feasibility,
)

# --------------------------------------------------------------------------- solving


@dataclass(frozen=True, eq=False)
class Solution:
    """An assignment: the chosen pairs, sorted by (application, expert), and its figures.

    "optimal": every application has its reviews, every expert's load is within limits,
    and the total affinity is the highest possible on the (possibly widened) candidate
    graph. "infeasible": ``shortfalls`` says which constraint fails and for whom; the
    pairs are then the best effort (as many reviews as possible, then as many minimum
    loads met as possible, then the highest affinity), for an organiser to complete.

    ``affinity`` pairs up with ``apps``/``experts``; ``loads`` is per expert, ``coverage``
    and ``reviews_needed`` per application; ``widened`` counts the pairs ``solve`` added
    to the candidate graph.
    """

    status: Status
    apps: Int
    experts: Int
    affinity: Float
    objective: float
    shortfalls: tuple[Shortfall, ...]
    loads: Int
    coverage: Int
    reviews_needed: Int
    widened: int = 0

    @property
    def mean_affinity(self) -> float:
        return float(self.affinity.mean()) if self.affinity.size else 0.0

    @property
    def min_affinity(self) -> float:
        return float(self.affinity.min()) if self.affinity.size else 0.0

    @property
    def coverage_ratio(self) -> float:
        """Reviews assigned (up to what each application needs) over reviews needed."""
        needed = int(self.reviews_needed.sum())
        if not needed:
            return 1.0
        return float(np.minimum(self.coverage, self.reviews_needed).sum()) / needed


def _costs(affinity: Float, flow_bound: int, nodes: int) -> tuple[Int, int]:
    """Integer arc costs and the bonus that makes minimum loads outrank any affinity.

    Among flows of the same size, any two differ in affinity cost by less than
    flow_bound × (largest cost − smallest cost) < bonus, so one more unit of minimum load
    always wins. OR-Tools multiplies costs by the node count internally; the scale is
    lowered (never for realistic sizes) so that this cannot overflow.
    """
    scale = SCALE
    while True:
        costs = -np.rint(affinity * scale).astype(np.int64)
        spread = int(costs.max() - costs.min()) if costs.size else 0
        bonus = flow_bound * spread + 1
        if bonus * max(nodes + 1, flow_bound + 1) < 2**60 or scale == 0:
            return costs, bonus
        scale //= 10


def _flow(problem: Problem, apps: Int, experts: Int, affinity: Float) -> Bool:
    """Min-cost max-flow on source → application → expert → sink; which pairs carry flow."""
    n_apps, n_experts = problem.n_apps, problem.n_experts
    need, cap = problem.reviews_needed, problem.max_load
    low = np.minimum(problem.min_load, cap)
    source, sink = n_apps + n_experts, n_apps + n_experts + 1
    total = int(need.sum())
    costs, bonus = _costs(affinity, min(total, int(cap.sum())), n_apps + n_experts + 2)
    expert_nodes = n_apps + np.arange(n_experts, dtype=np.int64)
    tails = np.concatenate([np.full(n_apps, source), apps, expert_nodes, expert_nodes])
    heads = np.concatenate([np.arange(n_apps), n_apps + experts, np.full(2 * n_experts, sink)])
    capacities = np.concatenate([need, np.ones(len(apps), np.int64), low, cap - low])
    unit_costs = np.concatenate(
        [
            np.zeros(n_apps, np.int64),
            costs,
            np.full(n_experts, -bonus),
            np.zeros(n_experts, np.int64),
        ]
    )
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        unit_costs.astype(np.int64),
    )
    solver.set_nodes_supplies(
        np.array([source, sink], np.int32), np.array([total, -total], np.int64)
    )
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:  # the cost range is kept valid, so this is a bug
        raise AssignmentError(f"The min-cost flow solver stopped with status {status}.")
    pair_arcs = np.asarray(arcs, dtype=np.int32)[n_apps : n_apps + len(apps)]
    return np.asarray(solver.flows(pair_arcs)) > 0


def _usable(problem: Problem, candidates: Candidates) -> _Pairs:
    apps, experts = candidates.apps, candidates.experts
    if apps.size and (apps.max() >= problem.n_apps or experts.max() >= problem.n_experts):
        raise AssignmentError("A candidate pair names an application or expert out of range.")
    keep = problem.allowed(apps, experts) & (problem.reviews_needed[apps] > 0)
    return apps[keep], experts[keep], candidates.affinity[keep]


def _allowed_grid(problem: Problem, apps: Int, experts: Int) -> tuple[Int, Int]:
    grid_apps = np.repeat(apps, len(experts))
    grid_experts = np.tile(experts, len(apps))
    ok = problem.allowed(grid_apps, grid_experts)
    return grid_apps[ok], grid_experts[ok]


def _widening(problem: Problem, apps: Int, experts: Int) -> tuple[Int, Int]:
    """Pairs to add when the first solution leaves reviews or minimum loads missing.

    Small calls get the whole allowed graph, so their "coverage" is exact. Larger ones
    get every allowed expert of each application short of reviews, every allowed
    application of each expert short of the minimum, and the moves two steps away (an
    application that holds a full expert the short one could use, towards every expert
    with room), within ``WIDEN_BUDGET`` pairs. Longer chains of moves are not searched.
    """
    coverage = np.bincount(apps, minlength=problem.n_apps)
    loads = np.bincount(experts, minlength=problem.n_experts)
    active_apps = np.flatnonzero(problem.reviews_needed > 0)
    active_experts = np.flatnonzero(problem.max_load > 0)
    if len(active_apps) * len(active_experts) <= FULL_GRAPH_PAIRS:
        return _allowed_grid(problem, active_apps, active_experts)
    short_apps = np.flatnonzero(coverage < problem.reviews_needed)
    low_experts = np.flatnonzero(loads < np.minimum(problem.min_load, problem.max_load))
    found: list[tuple[Int, Int]] = []
    budget = WIDEN_BUDGET
    if len(short_apps) * len(active_experts) <= budget:
        found.append(_allowed_grid(problem, short_apps, active_experts))
        budget -= len(short_apps) * len(active_experts)
        full = np.zeros(problem.n_experts, bool)
        full[found[0][1]] = True
        full &= loads >= problem.max_load
        holders = np.unique(apps[full[experts]])
        room = np.flatnonzero(loads < problem.max_load)
        if len(holders) * len(room) <= budget:
            found.append(_allowed_grid(problem, holders, room))
            budget -= len(holders) * len(room)
    if len(low_experts) * len(active_apps) <= budget:
        found.append(_allowed_grid(problem, active_apps, low_experts))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _widen(problem: Problem, candidates: Candidates, pairs: _Pairs, chosen: Bool) -> _Pairs:
    apps, experts, affinity = pairs
    extra_apps, extra_experts = _widening(problem, apps[chosen], experts[chosen])
    n = problem.n_experts
    known = apps * n + experts
    extra = np.setdiff1d(extra_apps * n + extra_experts, known)
    extra_apps, extra_experts = extra // n, extra % n
    if candidates.scorer is not None:
        extra_affinity = candidates.scorer.score(extra_apps, extra_experts)
    else:
        floor = float(affinity.min()) if affinity.size else 0.0
        extra_affinity = np.full(len(extra), floor)
    keys = np.concatenate([known, extra])
    order = np.argsort(keys, kind="stable")
    return (
        np.concatenate([apps, extra_apps])[order],
        np.concatenate([experts, extra_experts])[order],
        np.concatenate([affinity, extra_affinity])[order],
    )


def _solution(problem: Problem, pairs: _Pairs, before: list[Shortfall], widened: int) -> Solution:
    apps, experts, affinity = pairs
    coverage = np.bincount(apps, minlength=problem.n_apps).astype(np.int64)
    loads = np.bincount(experts, minlength=problem.n_experts).astype(np.int64)
    minimum = np.minimum(problem.min_load, problem.max_load)
    found = [s for s in before if s.kind != "min_load"]  # restated below, after solving
    short = coverage < problem.reviews_needed
    if short.any():
        found.append(_listing("coverage", short, problem.reviews_needed, coverage))
    low = loads < minimum
    if low.any():
        found.append(_listing("min_load", low, minimum, loads, experts=True))
    for array in (apps, experts, affinity, coverage, loads):
        array.setflags(write=False)
    return Solution(
        status="infeasible" if found else "optimal",
        apps=apps,
        experts=experts,
        affinity=affinity,
        objective=float(affinity.sum()),
        shortfalls=tuple(found),
        loads=loads,
        coverage=coverage,
        reviews_needed=problem.reviews_needed,
        widened=widened,
    )


def solve(
    problem: Problem,
    candidates: Candidates,
    *,
    widen: bool = True,
    progress: Progress | None = None,
) -> Solution:
    """Choose pairs from the candidate graph: most reviews, then minimums, then affinity.

    The result has as many reviews as possible, among those as many minimum loads met as
    possible, and among those the highest total affinity. Candidate pairs that are forbidden, in an unread language, of an expert with no room
    or of an application needing nothing are ignored. When the result leaves reviews or
    minimum loads missing, the graph is widened once (see ``_widening``) and solved again
    before any "coverage" or "min_load" shortfall is reported; ``Solution.widened`` counts
    the pairs added. Never raises on constraints that cannot be met; see ``Solution``.
    ``progress(stage, fraction)`` is called with "solve" and, if it happens, "widen".
    """
    before = check_feasibility(problem)
    pairs = _usable(problem, candidates)
    _report(progress, "solve", 0.0)
    chosen = _flow(problem, *pairs)
    widened = 0
    coverage = np.bincount(pairs[0][chosen], minlength=problem.n_apps)
    loads = np.bincount(pairs[1][chosen], minlength=problem.n_experts)
    missing = (coverage < problem.reviews_needed).any() or (
        loads < np.minimum(problem.min_load, problem.max_load)
    ).any()
    if widen and missing:
        _report(progress, "widen", 0.0)
        wider = _widen(problem, candidates, pairs, chosen)
        widened = len(wider[0]) - len(pairs[0])
        if widened:
            pairs = wider
            chosen = _flow(problem, *pairs)
    _report(progress, "solve", 1.0)
    return _solution(
        problem, (pairs[0][chosen], pairs[1][chosen], pairs[2][chosen]), before, widened
    )


def _affinity_of(candidates: Candidates, apps: Int, experts: Int, n_experts: int) -> Float:
    """Affinity of given pairs: from the graph, else from the scorer, else 0."""
    known = candidates.apps * n_experts + candidates.experts
    keys = apps * n_experts + experts
    at = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
    found = (at < len(known)) & (known[at] == keys) if len(known) else np.zeros(len(keys), bool)
    result = np.where(found, candidates.affinity[at] if len(known) else 0.0, 0.0)
    if candidates.scorer is not None and not found.all():
        result[~found] = candidates.scorer.score(apps[~found], experts[~found])
    return result.astype(np.float64)


def reassign(
    problem: Problem,
    candidates: Candidates,
    fixed_apps: Int,
    fixed_experts: Int,
    freed_expert: int,
    *,
    progress: Progress | None = None,
) -> Solution:
    """Replace an expert who dropped out without disturbing anyone else's reviews.

    The existing pairs (``fixed_*``) stay, except ``freed_expert``'s; the reviews they
    leave missing are filled optimally from the remaining capacity: each other expert's
    fixed pairs count towards their limits, nobody gets an application twice, and the
    freed expert gets nothing. The result lists all pairs, kept and new; its shortfalls
    are stated in terms of what was left to assign.
    """
    fixed_apps = _int_array(fixed_apps, "fixed_apps")
    fixed_experts = _int_array(fixed_experts, "fixed_experts")
    if fixed_apps.shape != fixed_experts.shape or not 0 <= freed_expert < problem.n_experts:
        raise AssignmentError("fixed pairs must pair up and the freed expert must exist.")
    if fixed_apps.size and (
        fixed_apps.max() >= problem.n_apps or fixed_experts.max() >= problem.n_experts
    ):
        raise AssignmentError("A fixed pair names an application or expert out of range.")
    n = problem.n_experts
    keys = np.unique(fixed_apps * n + fixed_experts)
    keys = keys[keys % n != freed_expert]
    kept_apps, kept_experts = keys // n, keys % n
    held = np.bincount(kept_experts, minlength=n)
    left = np.maximum(problem.max_load - held, 0)
    left[freed_expert] = 0
    low = np.maximum(np.minimum(problem.min_load, problem.max_load) - held, 0)
    low[freed_expert] = 0
    residual = Problem(
        reviews_needed=np.maximum(
            problem.reviews_needed - np.bincount(kept_apps, minlength=problem.n_apps), 0
        ),
        min_load=low,
        max_load=left,
        forbidden_apps=np.concatenate([problem.forbidden_apps, kept_apps]),
        forbidden_experts=np.concatenate([problem.forbidden_experts, kept_experts]),
        app_language=problem.app_language,
        expert_languages=problem.expert_languages,
    )
    part = solve(residual, candidates, progress=progress)
    apps = np.concatenate([kept_apps, part.apps])
    experts = np.concatenate([kept_experts, part.experts])
    affinity = np.concatenate([_affinity_of(candidates, kept_apps, kept_experts, n), part.affinity])
    order = np.lexsort((experts, apps))
    merged = _solution(problem, (apps[order], experts[order], affinity[order]), [], part.widened)
    return Solution(
        status=part.status,
        apps=merged.apps,
        experts=merged.experts,
        affinity=merged.affinity,
        objective=merged.objective,
        shortfalls=part.shortfalls,
        loads=merged.loads,
        coverage=merged.coverage,
        reviews_needed=problem.reviews_needed,
        widened=part.widened,
    )


def assign_everyone(
    n_apps: int,
    n_experts: int,
    forbidden_apps: Int,
    forbidden_experts: Int,
    *,
    app_language: Int | None = None,
    expert_languages: Bool | None = None,
) -> Solution:
    """ "Every member scores everything": all pairs except the forbidden ones.

    Meant for juries, not for 20,000 applications (it lists every pair). An application
    every member is excluded from is reported as a "candidates" shortfall.
    """
    problem = Problem(
        reviews_needed=np.ones(n_apps, np.int64),
        min_load=np.zeros(n_experts, np.int64),
        max_load=np.full(n_experts, max(n_apps, 1), np.int64),
        forbidden_apps=forbidden_apps,
        forbidden_experts=forbidden_experts,
        app_language=app_language,
        expert_languages=expert_languages,
    )
    apps, experts = _allowed_grid(
        problem, np.arange(n_apps, dtype=np.int64), np.arange(n_experts, dtype=np.int64)
    )
    coverage = np.bincount(apps, minlength=n_apps).astype(np.int64)
    alone = coverage == 0
    shortfalls = (
        (_listing("candidates", alone, np.ones(n_apps, np.int64), coverage),) if alone.any() else ()
    )
    for array in (apps, experts, coverage):
        array.setflags(write=False)
    return Solution(
        status="infeasible" if shortfalls else "optimal",
        apps=apps,
        experts=experts,
        affinity=np.zeros(len(apps)),
        objective=0.0,
        shortfalls=shortfalls,
        loads=np.bincount(experts, minlength=n_experts).astype(np.int64),
        coverage=coverage,
        reviews_needed=np.maximum(coverage, 1),
        widened=0,
    )
