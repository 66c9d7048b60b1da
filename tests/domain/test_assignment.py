from collections.abc import Sequence
from random import Random

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import linprog

import baiqau.domain.assignment as assignment
from baiqau.domain.assignment import (
    BID_CAN,
    BID_PREFER_NOT,
    BID_WANT,
    SCALE,
    AffinityWeights,
    AssignmentError,
    Candidates,
    Problem,
    Shortfall,
    Solution,
    affinity_inputs,
    assign_everyone,
    check_feasibility,
    compute_candidates,
    reassign,
    solve,
)

Int = NDArray[np.int64]


def _problem(
    need: list[int],
    min_load: list[int],
    max_load: list[int],
    forbidden: Sequence[tuple[int, int]] = (),
    **languages: object,
) -> Problem:
    pairs = np.array(list(forbidden), np.int64).reshape(-1, 2)
    return Problem(
        reviews_needed=np.array(need),
        min_load=np.array(min_load),
        max_load=np.array(max_load),
        forbidden_apps=pairs[:, 0],
        forbidden_experts=pairs[:, 1],
        **languages,  # type: ignore[arg-type]  # app_language and expert_languages
    )


def _dense(matrix: list[list[float]]) -> Candidates:
    """Every pair of an applications × experts affinity matrix as candidates."""
    values = np.array(matrix, np.float64)
    apps, experts = np.indices(values.shape)
    return Candidates(apps.ravel(), experts.ravel(), values.ravel())


def _pairs(solution: Solution) -> list[tuple[int, int]]:
    return list(zip(solution.apps.tolist(), solution.experts.tolist(), strict=True))


def _pairs_of(candidates: Candidates) -> list[tuple[int, int]]:
    return list(zip(candidates.apps.tolist(), candidates.experts.tolist(), strict=True))


def _kinds(solution: Solution) -> list[str]:
    return [shortfall.kind for shortfall in solution.shortfalls]


def _lp_optimum(problem: Problem, candidates: Candidates) -> float | None:
    """The LP optimum on the allowed candidate pairs, None if the constraints cannot hold."""
    keep = problem.allowed(candidates.apps, candidates.experts)
    apps, experts = candidates.apps[keep], candidates.experts[keep]
    n = len(apps)
    if n == 0:
        feasible = not problem.reviews_needed.any() and not problem.min_load.any()
        return 0.0 if feasible and (problem.min_load <= problem.max_load).all() else None
    by_app = sp.csr_array((np.ones(n), (apps, np.arange(n))), shape=(problem.n_apps, n))
    by_expert = sp.csr_array((np.ones(n), (experts, np.arange(n))), shape=(problem.n_experts, n))
    result = linprog(
        -candidates.affinity[keep],
        A_ub=sp.vstack([by_expert, -by_expert]),
        b_ub=np.concatenate([problem.max_load, -problem.min_load]),
        A_eq=by_app,
        b_eq=problem.reviews_needed,
        bounds=(0, 1),
        method="highs",
    )
    assert result.status in (0, 2)  # optimal or infeasible, nothing else
    return float(-result.fun) if result.status == 0 else None


TEXTS_APPS = [
    "Инклюзивный спорт для детей с инвалидностью: адаптивная физкультура в Шымкенте",
    "Цифрлық сауаттылық: қарттарға арналған компьютер курстары",
    "Environmental education and waste recycling in rural schools",
    "Семейная медиация и профилактика разводов",
    "Мүгедектігі бар балаларға арналған инклюзивті спорт секциясы",
    "Digital literacy for pensioners: smartphones and online safety",
]
TEXTS_EXPERTS = [
    "Тренер по адаптивной физкультуре, инклюзивный спорт, спорт для детей",
    "Цифровая грамотность, цифрлық сауаттылық, digital literacy trainer",
    "Ecologist: environmental education, recycling, экология",
    "Медиатор, семейная медиация, отбасылық медиация",
]
TAGS_APPS = [["sport"], ["digital"], ["ecology"], ["family"], ["sport"], ["digital"]]
TAGS_EXPERTS = [["sport"], ["digital"], ["ecology"], ["family", "law"]]


def _topic_candidates(problem: Problem, **options: object) -> Candidates:
    app_tags, expert_tags = affinity_inputs(TAGS_APPS, TAGS_EXPERTS)
    return compute_candidates(
        TEXTS_APPS,
        TEXTS_EXPERTS,
        app_tags,
        expert_tags,
        problem,
        **options,  # type: ignore[arg-type]  # keyword options of one call
    )


# --- small cases with a known optimum --------------------------------------


def test_three_by_three_reaches_the_hand_computed_optimum_that_greedy_misses() -> None:
    # Greedy takes the best pair first, (0, 0) = 0.9, and is left with 0.1 + 0.4 = 1.4 in
    # total; the optimum gives up that pair: (0, 1) + (1, 0) + (2, 2) = 0.8 + 0.8 + 0.4.
    problem = _problem([1, 1, 1], [0, 0, 0], [1, 1, 1])
    candidates = _dense([[0.9, 0.8, 0.0], [0.8, 0.1, 0.0], [0.0, 0.5, 0.4]])

    solution = solve(problem, candidates)

    assert solution.status == "optimal"
    assert _pairs(solution) == [(0, 1), (1, 0), (2, 2)]
    assert solution.objective == pytest.approx(2.0)
    assert solution.affinity.tolist() == [0.8, 0.8, 0.4]
    assert solution.shortfalls == ()
    assert solution.mean_affinity == pytest.approx(2.0 / 3)
    assert solution.min_affinity == 0.4
    assert solution.coverage_ratio == 1.0


def test_each_application_gets_its_own_number_of_reviews_and_loads_stay_within_limits() -> None:
    problem = _problem([2, 1, 3], [0, 0, 0], [2, 2, 2])
    candidates = _dense([[0.5, 0.4, 0.3], [0.9, 0.1, 0.1], [0.2, 0.2, 0.2]])

    solution = solve(problem, candidates)

    assert solution.coverage.tolist() == [2, 1, 3]
    assert solution.loads.tolist() == [2, 2, 2]
    # App 2 takes everyone; app 1 prefers expert 0; app 0 then gets experts 1 and 2.
    assert _pairs(solution) == [(0, 1), (0, 2), (1, 0), (2, 0), (2, 1), (2, 2)]


def test_minimum_loads_are_met_before_affinity() -> None:
    problem = _problem([1, 1], [1, 0], [2, 2])
    candidates = _dense([[0.1, 0.9], [0.1, 0.9]])

    solution = solve(problem, candidates)

    assert solution.status == "optimal"
    assert solution.loads.tolist() == [1, 1]
    assert solution.objective == pytest.approx(1.0)


def test_forbidden_pairs_in_the_candidates_are_ignored() -> None:
    problem = _problem([1, 1], [0, 0], [1, 1], forbidden=[(0, 0)])
    candidates = _dense([[1.0, 0.0], [0.5, 0.5]])

    assert _pairs(solve(problem, candidates)) == [(0, 1), (1, 0)]


def test_an_empty_call_is_solved_without_pairs() -> None:
    solution = solve(
        _problem([], [], []), Candidates(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    )

    assert solution.status == "optimal"
    assert _pairs(solution) == []
    assert solution.coverage_ratio == 1.0
    assert solution.mean_affinity == 0.0


# --- properties on random small instances ----------------------------------


@st.composite
def instances(draw: st.DrawFn) -> tuple[Problem, NDArray[np.float64]]:
    n_apps = draw(st.integers(1, 6))
    n_experts = draw(st.integers(1, 5))
    need = draw(st.lists(st.integers(0, 3), min_size=n_apps, max_size=n_apps))
    max_load = draw(st.lists(st.integers(0, 4), min_size=n_experts, max_size=n_experts))
    min_load = [draw(st.integers(0, high)) for high in max_load]
    cells = st.tuples(st.integers(0, n_apps - 1), st.integers(0, n_experts - 1))
    forbidden = sorted(draw(st.sets(cells, max_size=n_apps * n_experts // 2)))
    # Affinities in whole units of 1/SCALE, so that the flow's integer costs are exact.
    units = draw(
        st.lists(
            st.integers(-3000, SCALE),
            min_size=n_apps * n_experts,
            max_size=n_apps * n_experts,
        )
    )
    affinity = np.array(units, np.float64).reshape(n_apps, n_experts) / SCALE
    languages: dict[str, object] = {}
    if draw(st.booleans()):
        codes = st.integers(-1, 1)
        languages["app_language"] = np.array(
            draw(st.lists(codes, min_size=n_apps, max_size=n_apps))
        )
        reads = st.lists(st.booleans(), min_size=2, max_size=2)
        languages["expert_languages"] = np.array(
            draw(st.lists(reads, min_size=n_experts, max_size=n_experts)), bool
        ).reshape(n_experts, 2)
    return _problem(need, min_load, max_load, forbidden, **languages), affinity


def _assert_valid(problem: Problem, solution: Solution) -> None:
    keys = solution.apps * problem.n_experts + solution.experts
    assert len(np.unique(keys)) == len(keys)
    assert not np.isin(keys, problem.forbidden_keys).any()
    assert (solution.loads <= problem.max_load).all()
    assert (solution.coverage <= problem.reviews_needed).all()


@settings(deadline=None, max_examples=150)
@given(instances())
def test_the_flow_is_feasible_exactly_when_the_lp_is_and_as_good(
    instance: tuple[Problem, NDArray[np.float64]],
) -> None:
    problem, affinity = instance
    candidates = _dense(affinity.tolist())

    solution = solve(problem, candidates)
    optimum = _lp_optimum(problem, candidates)

    _assert_valid(problem, solution)
    assert (solution.status == "optimal") == (optimum is not None)
    if optimum is not None:
        assert check_feasibility(problem) == []  # the pre-checks never cry wolf
        assert solution.coverage.tolist() == problem.reviews_needed.tolist()
        assert (solution.loads >= problem.min_load).all()
        assert round(solution.objective * SCALE) == round(optimum * SCALE)
    else:
        assert solution.shortfalls


@settings(deadline=None, max_examples=100)
@given(instances(), st.randoms(use_true_random=False))
def test_a_sparse_candidate_graph_is_widened_rather_than_reported_short(
    instance: tuple[Problem, NDArray[np.float64]], random: Random
) -> None:
    problem, affinity = instance
    full = _dense(affinity.tolist())
    keep = np.array([random.random() < 0.4 for _ in range(len(full))], np.bool_)
    sparse = Candidates(full.apps[keep], full.experts[keep], full.affinity[keep])

    solution = solve(problem, sparse)

    _assert_valid(problem, solution)
    assert (solution.status == "optimal") == (_lp_optimum(problem, full) is not None)


@settings(deadline=None, max_examples=60)
@given(instances())
def test_the_same_inputs_give_the_same_assignment(
    instance: tuple[Problem, NDArray[np.float64]],
) -> None:
    problem, affinity = instance
    first = solve(problem, _dense(affinity.tolist()))
    second = solve(problem, _dense(affinity.tolist()))

    for name in ("apps", "experts", "affinity", "loads", "coverage"):
        assert getattr(first, name).tolist() == getattr(second, name).tolist()
    assert first.shortfalls == second.shortfalls


@settings(deadline=None, max_examples=150)
@given(instances())
def test_the_pre_checks_count_allowed_pairs_like_a_brute_force(
    instance: tuple[Problem, NDArray[np.float64]],
) -> None:
    problem, _affinity = instance
    apps, experts = np.indices((problem.n_apps, problem.n_experts))
    allowed = problem.allowed(apps.ravel(), experts.ravel()).reshape(apps.shape)
    per_app = allowed.sum(axis=1)
    per_expert = (allowed & (problem.reviews_needed > 0)[:, None]).sum(axis=0)
    minimum = np.minimum(problem.min_load, problem.max_load)

    found = {shortfall.kind: shortfall for shortfall in check_feasibility(problem)}

    short = tuple(np.flatnonzero(per_app < problem.reviews_needed).tolist())
    assert (found["candidates"].applications if "candidates" in found else ()) == short
    low = tuple(np.flatnonzero(per_expert < minimum).tolist())
    assert (found["min_load"].experts if "min_load" in found else ()) == low


# --- infeasible instances -------------------------------------------------


def test_too_little_capacity_is_reported_with_the_best_effort_assignment() -> None:
    problem = _problem([2, 2, 2], [0, 0], [2, 2])

    solution = solve(problem, _dense([[0.5, 0.5]] * 3))

    assert solution.status == "infeasible"
    assert _kinds(solution) == ["capacity", "coverage"]
    assert solution.shortfalls[0] == Shortfall(kind="capacity", needed=6, available=4)
    assert solution.shortfalls[1] == Shortfall(
        kind="coverage", applications=(2,), needed=2, available=0, short_by=(2,)
    )
    assert solution.loads.tolist() == [2, 2]
    assert solution.coverage_ratio == pytest.approx(4 / 6)


def test_minimum_loads_above_the_reviews_needed_are_reported() -> None:
    problem = _problem([1, 1], [1, 1, 1], [2, 2, 2])

    solution = solve(problem, _dense([[0.5, 0.5, 0.5]] * 2))

    assert solution.status == "infeasible"
    assert _kinds(solution) == ["minimum", "min_load"]
    assert solution.shortfalls[0] == Shortfall(kind="minimum", needed=3, available=2)
    assert len(solution.shortfalls[1].experts) == 1
    assert solution.coverage.tolist() == [1, 1]


def test_an_application_with_too_few_allowed_experts_is_named() -> None:
    problem = _problem([2, 1], [0, 0, 0], [3, 3, 3], forbidden=[(0, 0), (0, 1)])

    shortfalls = check_feasibility(problem)
    solution = solve(problem, _dense([[0.5, 0.5, 0.5]] * 2))

    expected = Shortfall(kind="candidates", applications=(0,), needed=2, available=1, short_by=(1,))
    assert shortfalls == [expected]
    assert solution.shortfalls == (
        expected,
        Shortfall(kind="coverage", applications=(0,), needed=2, available=1, short_by=(1,)),
    )
    assert _pairs(solution) == [(0, 2), (1, 2)]


def test_an_expert_who_cannot_reach_the_minimum_is_named_before_solving() -> None:
    problem = _problem([1, 1], [0, 2], [2, 2], forbidden=[(0, 1)])

    assert check_feasibility(problem) == [
        Shortfall(kind="min_load", experts=(1,), needed=2, available=1, short_by=(1,))
    ]


def test_a_minimum_above_the_maximum_is_reported_and_the_maximum_wins() -> None:
    problem = _problem([1, 1], [3, 0], [1, 1])

    solution = solve(problem, _dense([[0.5, 0.5]] * 2))

    assert solution.shortfalls[0] == Shortfall(
        kind="limits", experts=(0,), needed=3, available=1, short_by=(2,)
    )
    assert solution.loads.tolist() == [1, 1]
    assert solution.status == "infeasible"


def test_a_language_with_too_few_readers_is_reported() -> None:
    readers = np.array([[True, False], [False, True]])
    problem = _problem(
        [1, 1, 1],
        [0, 0],
        [1, 5],
        app_language=np.array([0, 0, 1]),
        expert_languages=readers,
    )

    solution = solve(problem, _dense([[0.5, 0.5]] * 3))

    assert solution.shortfalls[0] == Shortfall(
        kind="language", applications=(0, 1), needed=2, available=1, language=0
    )
    assert solution.coverage.sum() == 2
    assert all(shortfall.describe() for shortfall in solution.shortfalls)


def test_a_feasible_problem_has_no_shortfall() -> None:
    assert check_feasibility(_problem([1, 2], [0, 1], [2, 2])) == []


@pytest.mark.parametrize(
    "arguments",
    [
        {"reviews_needed": [-1], "min_load": [0], "max_load": [1]},
        {"reviews_needed": [1], "min_load": [0, 0], "max_load": [1]},
        {
            "reviews_needed": [1],
            "min_load": [0],
            "max_load": [1],
            "forbidden_apps": [1],
            "forbidden_experts": [0],
        },
        {"reviews_needed": [1], "min_load": [0], "max_load": [1], "app_language": [0]},
        {
            "reviews_needed": [1],
            "min_load": [0],
            "max_load": [1],
            "app_language": [2],
            "expert_languages": [[True, False]],
        },
    ],
)
def test_malformed_problems_are_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(AssignmentError):
        Problem(**arguments)  # type: ignore[arg-type]  # lists stand in for arrays


# --- languages, bids, candidates --------------------------------------------


def test_an_expert_never_gets_an_application_in_a_language_they_do_not_read() -> None:
    # Expert 0 reads language 0, expert 1 language 1, expert 2 stated none (reads all);
    # application 2 has no language. The affinities all point the wrong way.
    problem = _problem(
        [1, 1, 1],
        [0, 0, 0],
        [1, 1, 1],
        app_language=np.array([1, 0, -1]),
        expert_languages=np.array([[True, False], [False, True], [False, False]]),
    )
    candidates = _dense([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])

    solution = solve(problem, candidates)

    assert solution.status == "optimal"
    assert _pairs(solution) == [(0, 1), (1, 0), (2, 2)]


def test_candidates_leave_out_unread_languages_and_forbidden_pairs() -> None:
    problem = Problem.uniform(
        6,
        4,
        reviews=1,
        max_load=3,
        forbidden=sp.csr_array(([True], ([0], [0])), shape=(6, 4)),
        app_language=np.array([0, 0, 1, 1, -1, -1]),
        expert_languages=np.array([[True, False], [True, False], [False, True], [False, False]]),
    )

    candidates = _topic_candidates(problem)

    pairs = set(zip(candidates.apps.tolist(), candidates.experts.tolist(), strict=True))
    assert (0, 0) not in pairs
    assert not {(a, e) for a, e in pairs if a in (0, 1) and e == 2}
    assert not {(a, e) for a, e in pairs if a in (2, 3) and e in (0, 1)}
    assert (4, 2) in pairs
    assert (3, 3) in pairs  # expert 3 stated no language


def test_candidates_are_sorted_unique_and_match_the_scorer() -> None:
    problem = Problem.uniform(6, 4, reviews=2, max_load=4)

    candidates = _topic_candidates(problem, k_per_application=2, k_per_expert=1)

    keys = candidates.apps * 4 + candidates.experts
    assert keys.tolist() == sorted(set(keys.tolist()))
    assert candidates.scorer is not None
    rescored = candidates.scorer.score(candidates.apps, candidates.experts)
    assert rescored.tolist() == candidates.affinity.tolist()


def test_text_and_tags_pair_each_application_with_its_topic() -> None:
    problem = Problem.uniform(6, 4, reviews=1, max_load=2)

    solution = solve(problem, _topic_candidates(problem))

    # Sport, digital, ecology, family, sport, digital: Kazakh, Russian and English alike.
    assert solution.experts.tolist() == [0, 1, 2, 3, 0, 1]


def test_without_tags_text_alone_matches_across_languages() -> None:
    problem = Problem.uniform(6, 4, reviews=1, max_load=2)
    no_tags = sp.csr_array((6, 1), dtype=bool), sp.csr_array((4, 1), dtype=bool)

    candidates = compute_candidates(TEXTS_APPS, TEXTS_EXPERTS, *no_tags, problem)

    assert solve(problem, candidates).experts.tolist() == [0, 1, 2, 3, 0, 1]


def test_a_want_bid_moves_the_application_and_a_prefer_not_bid_moves_it_away() -> None:
    problem = Problem.uniform(2, 2, reviews=1, max_load=1)
    texts = ["same words", "same words"]
    tags = sp.csr_array((2, 1), dtype=bool)
    weights = AffinityWeights(tags=0.0, text=1.0)

    def assigned(bids: tuple[Int, Int, Int] | None) -> list[tuple[int, int]]:
        candidates = compute_candidates(
            texts, texts, tags, tags, problem, bids=bids, weights=weights
        )
        return _pairs(solve(problem, candidates))

    # Every pair is equally good without bids: ties go to the lower index.
    assert assigned(None) == [(0, 0), (1, 1)]
    want = (np.array([0]), np.array([1]), np.array([BID_WANT]))
    assert assigned(want) == [(0, 1), (1, 0)]
    prefer_not = (np.array([0, 1]), np.array([0, 0]), np.array([BID_PREFER_NOT, BID_CAN]))
    assert assigned(prefer_not) == [(0, 1), (1, 0)]


def test_the_last_bid_for_a_pair_counts() -> None:
    problem = Problem.uniform(1, 2, reviews=1, max_load=1)
    tags = sp.csr_array((1, 1), dtype=bool), sp.csr_array((2, 1), dtype=bool)
    bids = (np.array([0, 0]), np.array([1, 1]), np.array([BID_PREFER_NOT, BID_WANT]))

    candidates = compute_candidates(["x"], ["y", "z"], *tags, problem, bids=bids)

    assert candidates.affinity.tolist() == [0.0, pytest.approx(0.3)]


def test_a_want_bid_is_a_candidate_even_outside_the_top_k() -> None:
    problem = Problem.uniform(1, 3, reviews=1, max_load=1)
    tags = sp.csr_array((1, 1), dtype=bool), sp.csr_array((3, 1), dtype=bool)
    bids = (np.array([0]), np.array([2]), np.array([BID_WANT]))
    weights = AffinityWeights(bid_want=0.0)

    candidates = compute_candidates(
        ["a"],
        ["a", "b", "c"],
        *tags,
        problem,
        bids=bids,
        weights=weights,
        k_per_application=1,
        k_per_expert=0,
    )

    assert candidates.experts.tolist() == [0, 2]


def test_bids_out_of_range_or_unknown_are_refused() -> None:
    problem = Problem.uniform(1, 1, reviews=1, max_load=1)
    tags = sp.csr_array((1, 1), dtype=bool)
    for bids in [
        (np.array([1]), np.array([0]), np.array([BID_WANT])),
        (np.array([0]), np.array([0]), np.array([2])),
    ]:
        with pytest.raises(AssignmentError):
            compute_candidates(["a"], ["a"], tags, tags, problem, bids=bids)


def test_ties_go_to_the_lowest_indices_when_nothing_tells_pairs_apart() -> None:
    problem = Problem.uniform(5, 5, reviews=1, max_load=5)
    tags = sp.csr_array((5, 1), dtype=bool), sp.csr_array((5, 1), dtype=bool)

    candidates = compute_candidates(
        [""] * 5, [""] * 5, *tags, problem, k_per_application=2, k_per_expert=1
    )

    # Each application's first two experts, and each expert's first application.
    expected = {(a, e) for a in range(5) for e in (0, 1)} | {(0, e) for e in range(5)}
    assert _pairs_of(candidates) == sorted(expected)
    assert candidates.affinity.tolist() == [0.0] * len(expected)


def _brute_force_graph(
    candidates: Candidates, problem: Problem, k_app: int, k_expert: int
) -> set[tuple[int, int]]:
    assert candidates.scorer is not None
    block = candidates.scorer.block(np.arange(problem.n_apps)).astype(np.float64)
    grid = np.indices(block.shape, dtype=np.int64)
    block[~problem.allowed(grid[0], grid[1])] = -np.inf
    chosen = set()
    for a in range(problem.n_apps):
        order = sorted(range(problem.n_experts), key=lambda e: (-block[a, e], e))[:k_app]
        chosen |= {(a, e) for e in order if np.isfinite(block[a, e])}
    for e in range(problem.n_experts):
        order = sorted(range(problem.n_apps), key=lambda a: (-block[a, e], a))[:k_expert]
        chosen |= {(a, e) for a in order if np.isfinite(block[a, e])}
    return chosen


@pytest.mark.parametrize(("chunk", "threads"), [(1, 1), (4, 2), (2000, 3)])
def test_the_candidate_graph_is_the_exact_top_k_whatever_the_chunks_and_threads(
    chunk: int, threads: int
) -> None:
    # Repeated texts make many exact ties; the graph must not depend on how they are cut.
    rng = np.random.default_rng(7)
    n_apps, n_experts = 23, 9
    app_texts = [TEXTS_APPS[i] for i in rng.integers(0, 6, n_apps)]
    expert_texts = [TEXTS_EXPERTS[i] for i in rng.integers(0, 4, n_experts)]
    app_tags, expert_tags = affinity_inputs(
        [[int(t)] for t in rng.integers(0, 3, n_apps)],
        [[int(t)] for t in rng.integers(0, 3, n_experts)],
    )
    conflicts = rng.random((n_apps, n_experts)) < 0.2
    problem = Problem.uniform(n_apps, n_experts, reviews=2, max_load=8, forbidden=conflicts)

    candidates = compute_candidates(
        app_texts,
        expert_texts,
        app_tags,
        expert_tags,
        problem,
        k_per_application=3,
        k_per_expert=4,
        chunk=chunk,
        threads=threads,
    )

    assert set(_pairs_of(candidates)) == _brute_force_graph(candidates, problem, 3, 4)
    reference = compute_candidates(
        app_texts,
        expert_texts,
        app_tags,
        expert_tags,
        problem,
        k_per_application=3,
        k_per_expert=4,
    )
    assert candidates.apps.tolist() == reference.apps.tolist()
    assert candidates.experts.tolist() == reference.experts.tolist()
    assert candidates.affinity.tolist() == reference.affinity.tolist()


def test_the_whole_pipeline_matches_the_lp_optimum_on_its_candidate_graph() -> None:
    rng = np.random.default_rng(11)
    n_apps, n_experts = 60, 12
    app_texts = [TEXTS_APPS[i] + f" {i}" for i in rng.integers(0, 6, n_apps)]
    app_tags, expert_tags = affinity_inputs(
        [[TAGS_APPS[i][0]] for i in rng.integers(0, 6, n_apps)], TAGS_EXPERTS * 3
    )
    problem = Problem.uniform(
        n_apps,
        n_experts,
        reviews=2,
        min_load=5,
        max_load=14,
        forbidden=rng.random((n_apps, n_experts)) < 0.1,
    )
    candidates = compute_candidates(
        app_texts,
        TEXTS_EXPERTS * 3,
        app_tags,
        expert_tags,
        problem,
        k_per_application=4,
        k_per_expert=10,
    )

    solution = solve(problem, candidates)
    optimum = _lp_optimum(problem, candidates)

    assert solution.status == "optimal"
    assert solution.widened == 0
    assert optimum is not None
    # Each pair's cost is the affinity rounded to 1/SCALE.
    assert abs(solution.objective - optimum) <= len(solution.apps) / SCALE
    assert (solution.loads >= 5).all()


# --- widening -------------------------------------------------------------


def test_a_too_sparse_graph_is_widened_to_reach_every_review() -> None:
    problem = _problem([1, 1], [0, 0], [1, 1])
    only_expert_0 = Candidates(np.array([0, 1]), np.array([0, 0]), np.array([0.9, 0.8]))

    solution = solve(problem, only_expert_0)
    narrow = solve(problem, only_expert_0, widen=False)

    assert narrow.status == "infeasible"
    assert _kinds(narrow) == ["coverage"]
    assert solution.status == "optimal"
    assert solution.widened == 2
    # Pairs outside a hand-built graph count as its lowest affinity.
    assert _pairs(solution) == [(0, 0), (1, 1)]
    assert solution.affinity.tolist() == [0.9, 0.8]


def test_widening_of_a_large_call_moves_a_review_two_steps_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Application 0 may only be reviewed by expert 0. Application 1 likes expert 0 best
    # and takes it; in a large call (forced here) the widening must also let application 1
    # move to expert 1, which has room, so that application 0 gets expert 0.
    monkeypatch.setattr(assignment.flow, "FULL_GRAPH_PAIRS", 0)
    problem = _problem([1, 1], [0, 0, 0], [1, 1, 0], forbidden=[(0, 1), (0, 2)])
    candidates = Candidates(np.array([0, 1]), np.array([0, 0]), np.array([0.1, 0.9]))

    solution = solve(problem, candidates)

    assert solution.status == "optimal"
    assert _pairs(solution) == [(0, 0), (1, 1)]


def test_widening_of_a_large_call_lets_an_expert_reach_the_minimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(assignment.flow, "FULL_GRAPH_PAIRS", 0)
    problem = _problem([1, 1], [0, 1], [2, 2])
    candidates = Candidates(np.array([0, 1]), np.array([0, 0]), np.array([0.5, 0.5]))

    solution = solve(problem, candidates)

    assert solution.status == "optimal"
    assert solution.loads.tolist() == [1, 1]


# --- every member scores everything, and replacing an expert ----------------


def test_assign_everyone_gives_every_pair_but_the_forbidden_ones() -> None:
    solution = assign_everyone(3, 2, np.array([0, 2]), np.array([1, 1]))

    assert solution.status == "optimal"
    assert _pairs(solution) == [(0, 0), (1, 0), (1, 1), (2, 0)]
    assert solution.loads.tolist() == [3, 1]
    assert solution.coverage_ratio == 1.0


def test_assign_everyone_reports_an_application_nobody_may_review() -> None:
    solution = assign_everyone(2, 1, np.array([1]), np.array([0]))

    assert solution.status == "infeasible"
    assert solution.shortfalls == (
        Shortfall(kind="candidates", applications=(1,), needed=1, available=0, short_by=(1,)),
    )


def test_reassign_keeps_the_other_pairs_and_covers_the_freed_reviews() -> None:
    problem = _problem([2, 2, 2], [0, 0, 0, 0], [3, 3, 3, 2], forbidden=[(2, 3)])
    affinity = [[0.9, 0.8, 0.1, 0.5], [0.9, 0.1, 0.8, 0.6], [0.9, 0.8, 0.7, 0.0]]
    candidates = _dense(affinity)
    before = solve(problem, candidates)
    assert before.loads[0] == 3

    after = reassign(problem, candidates, before.apps, before.experts, freed_expert=0)

    kept = {pair for pair in _pairs(before) if pair[1] != 0}
    assert kept <= set(_pairs(after))
    assert 0 not in after.experts.tolist()
    assert after.status == "optimal"
    assert after.coverage.tolist() == [2, 2, 2]
    assert (after.loads <= problem.max_load).all()
    assert not np.isin(after.apps * 4 + after.experts, problem.forbidden_keys).any()
    assert after.objective == pytest.approx(float(after.affinity.sum()))


def test_reassign_reports_what_cannot_be_refilled() -> None:
    problem = _problem([1, 1], [0, 0], [2, 1])
    candidates = _dense([[0.9, 0.1], [0.9, 0.1]])
    before = solve(problem, candidates)
    assert _pairs(before) == [(0, 0), (1, 0)]

    after = reassign(problem, candidates, before.apps, before.experts, freed_expert=0)

    assert after.status == "infeasible"
    assert after.coverage.sum() == 1
    assert "capacity" in _kinds(after)
