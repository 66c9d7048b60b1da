"""Assign experts to applications: affinity, a sparse candidate graph, min-cost flow.

Every application needs R reviews, every expert takes between a minimum and a maximum
number, nobody reviews an application they are conflicted with (or cannot read), and the
total affinity of the chosen pairs is as high as possible. That is a transportation
problem; as a flow network (source → application → expert → sink) its integral optimum
is found exactly by OR-Tools' min-cost flow, so no heuristic and no time limit is needed.

The full graph of a large call is 40 million pairs (20,000 applications × 2,000 experts);
only the pairs that can matter are built: each application's best K experts and each
expert's best K applications (``compute_candidates``). When that sparse graph leaves an
application short that the full graph could serve, ``solve`` widens it and solves again.

Same inputs, same output: every selection breaks ties by index, and no step depends on
thread scheduling, so an organiser who re-runs an assignment gets the same one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = [
    "BID_CAN",
    "BID_PREFER_NOT",
    "BID_WANT",
    "SCALE",
    "AffinityModel",
    "AffinityWeights",
    "AssignmentError",
    "Candidates",
    "Problem",
    "Shortfall",
    "Solution",
    "affinity_inputs",
    "affinity_model",
    "assign_everyone",
    "candidates_from_model",
    "check_feasibility",
    "compute_candidates",
    "forbidden_pairs",
    "reassign",
    "solve",
]

BID_WANT, BID_CAN, BID_PREFER_NOT = 1, 0, -1
# Affinities become integer costs in units of 1/SCALE: the optimum found is optimal for
# the rounded affinities, within (number of reviews) / SCALE of the exact optimum.
SCALE = 10_000
# Up to this many allowed pairs, a candidate graph that leaves reviews missing is widened
# to the full graph, so the coverage reported is exact; above it, see ``_widening``.
FULL_GRAPH_PAIRS = 2_000_000
WIDEN_BUDGET = 4_000_000
_NO_LANGUAGE = -1

Int = NDArray[np.int64]
Float = NDArray[np.float64]
Bool = NDArray[np.bool_]
Block = NDArray[np.float32]
Progress = Callable[[str, float], None]
Status = Literal["optimal", "infeasible"]


class AssignmentError(ValueError):
    """Malformed input (shapes, negative limits, indices out of range): a programming error.

    Constraints that cannot all be met are not errors; ``solve`` reports them as
    ``Shortfall`` values in an "infeasible" ``Solution``.
    """


def _int_array(values: object, what: str) -> Int:
    array = np.array(values, dtype=np.int64).reshape(-1)
    array.setflags(write=False)
    if array.size and array.min() < 0:
        raise AssignmentError(f"{what} must not be negative.")
    return array


def _report(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, min(max(fraction, 0.0), 1.0))


# --------------------------------------------------------------------------- problem


@dataclass(frozen=True, eq=False)
class Problem:
    """What an assignment must satisfy, with applications and experts as 0-based indices.

    ``reviews_needed`` has per-application overrides applied, ``min_load``/``max_load``
    per-expert ones. Conflicts and other hard exclusions are the pairs
    (``forbidden_apps[i]``, ``forbidden_experts[i]``); repeats are harmless. Languages are
    optional: ``app_language`` holds a language code per application (-1: any expert may
    review it), ``expert_languages[e, code]`` whether expert e reads that language; an
    expert who stated no language reads all of them.
    """

    reviews_needed: Int
    min_load: Int
    max_load: Int
    forbidden_apps: Int = field(default_factory=lambda: np.zeros(0, np.int64))
    forbidden_experts: Int = field(default_factory=lambda: np.zeros(0, np.int64))
    app_language: Int | None = None
    expert_languages: Bool | None = None

    def __post_init__(self) -> None:
        arrays = ("reviews_needed", "min_load", "max_load", "forbidden_apps", "forbidden_experts")
        for name in arrays:
            object.__setattr__(self, name, _int_array(getattr(self, name), name))
        if self.min_load.shape != self.max_load.shape:
            raise AssignmentError("min_load and max_load need one value per expert.")
        if self.forbidden_apps.shape != self.forbidden_experts.shape:
            raise AssignmentError("forbidden_apps and forbidden_experts must pair up.")
        if self.forbidden_apps.size and (
            self.forbidden_apps.max() >= self.n_apps
            or self.forbidden_experts.max() >= self.n_experts
        ):
            raise AssignmentError("A forbidden pair names an application or expert out of range.")
        self._check_languages()

    def _check_languages(self) -> None:
        if (self.app_language is None) != (self.expert_languages is None):
            raise AssignmentError("Give app_language and expert_languages together, or neither.")
        if self.app_language is None or self.expert_languages is None:
            return
        codes = np.array(self.app_language, dtype=np.int64).reshape(-1)
        readers = np.array(self.expert_languages, dtype=bool)
        if codes.shape != (self.n_apps,) or readers.ndim != 2 or len(readers) != self.n_experts:
            raise AssignmentError(
                "app_language needs one code per application and expert_languages one row "
                "per expert."
            )
        if codes.size and (codes.min() < _NO_LANGUAGE or codes.max() >= readers.shape[1]):
            raise AssignmentError("A language code is outside expert_languages' columns.")
        codes.setflags(write=False)
        readers.setflags(write=False)
        object.__setattr__(self, "app_language", codes)
        object.__setattr__(self, "expert_languages", readers)

    @classmethod
    def uniform(
        cls,
        n_apps: int,
        n_experts: int,
        *,
        reviews: int,
        max_load: int,
        min_load: int = 0,
        forbidden: Any = None,
        app_language: Int | None = None,
        expert_languages: Bool | None = None,
    ) -> Problem:
        """The same R for every application and the same limits for every expert.

        ``forbidden`` is None, a pair of index arrays, or a sparse/dense boolean matrix
        (applications × experts) whose non-zero entries are the forbidden pairs.
        """
        if forbidden is None:
            apps, experts = np.zeros(0, np.int64), np.zeros(0, np.int64)
        elif isinstance(forbidden, tuple):
            apps, experts = (np.asarray(part, dtype=np.int64) for part in forbidden)
        else:
            apps, experts = forbidden_pairs(forbidden)
        return cls(
            reviews_needed=np.full(n_apps, reviews, np.int64),
            min_load=np.full(n_experts, min_load, np.int64),
            max_load=np.full(n_experts, max_load, np.int64),
            forbidden_apps=apps,
            forbidden_experts=experts,
            app_language=app_language,
            expert_languages=expert_languages,
        )

    @property
    def n_apps(self) -> int:
        return len(self.reviews_needed)

    @property
    def n_experts(self) -> int:
        return len(self.max_load)

    @cached_property
    def forbidden_keys(self) -> Int:
        """Forbidden pairs as sorted, unique keys ``app * n_experts + expert``."""
        return np.unique(self.forbidden_apps * self.n_experts + self.forbidden_experts)

    @cached_property
    def _readers(self) -> Bool | None:
        # Row c: the experts who can review an application in language c; the last row
        # (index -1) serves applications without a language.
        if self.expert_languages is None:
            return None
        readers = self.expert_languages
        accepts_all = ~cast(Bool, readers.any(axis=1))
        table = np.vstack([(readers | accepts_all[:, None]).T, np.ones(self.n_experts, bool)])
        return cast(Bool, table)

    def language_ok(self, apps: Int, experts: Int) -> Bool:
        """Whether each expert can read each application's language (element-wise)."""
        if self._readers is None or self.app_language is None:
            return np.ones(np.broadcast(apps, experts).shape, bool)
        return self._readers[self.app_language[apps], experts]

    def allowed(self, apps: Int, experts: Int) -> Bool:
        """Whether each pair may be assigned: not forbidden, language read, expert has room."""
        keys = apps * self.n_experts + experts
        ok = self.language_ok(apps, experts) & (self.max_load[experts] > 0)
        forbidden = self.forbidden_keys
        if forbidden.size:
            at = np.minimum(np.searchsorted(forbidden, keys), forbidden.size - 1)
            ok &= forbidden[at] != keys
        return ok


def forbidden_pairs(matrix: Any) -> tuple[Int, Int]:
    """The non-zero entries of a (sparse or dense) applications × experts matrix as pairs."""
    coo = sp.coo_array(matrix)
    mask = np.asarray(coo.data) != 0
    apps = np.asarray(coo.row, dtype=np.int64)[mask]
    experts = np.asarray(coo.col, dtype=np.int64)[mask]
    order = np.lexsort((experts, apps))
    return apps[order], experts[order]


# --------------------------------------------------------------------------- shortfalls


@dataclass(frozen=True)
class Shortfall:
    """One reason an assignment cannot meet every constraint.

    kind:
      - "limits": experts whose minimum load is above their maximum (the maximum wins);
      - "capacity": the experts' maximum loads add up to fewer reviews than needed;
      - "minimum": their minimum loads add up to more reviews than there are;
      - "language": the experts who read one language (``language``) cannot take all
        reviews of the applications written in it;
      - "candidates": applications with fewer allowed experts than reviews needed;
      - "min_load": experts who cannot reach (before solving) or did not reach (after)
        their minimum load;
      - "coverage": after solving, applications still short of reviews.

    ``short_by`` pairs up with ``applications`` (or with ``experts`` for "limits" and
    "min_load"); ``needed`` and ``available`` are totals over the items listed, or over
    the whole call for "capacity" and "minimum".
    """

    kind: str
    applications: tuple[int, ...] = ()
    experts: tuple[int, ...] = ()
    needed: int = 0
    available: int = 0
    short_by: tuple[int, ...] = ()
    language: int | None = None

    def describe(self) -> str:
        """An English sentence for logs; the interface words its own, translated."""
        count = len(self.applications) or len(self.experts)
        return {
            "limits": f"{count} experts have a minimum load above their maximum.",
            "capacity": f"The experts can take {self.available} reviews; {self.needed} are needed.",
            "minimum": f"Minimum loads add up to {self.needed}; only {self.available} reviews exist.",
            "language": f"Language {self.language}: {self.needed} reviews needed, "
            f"{self.available} can be taken by experts who read it.",
            "candidates": f"{count} applications have fewer allowed experts than reviews needed.",
            "min_load": f"{count} experts cannot reach their minimum load.",
            "coverage": f"{count} applications are {self.needed - self.available} reviews short.",
        }.get(self.kind, self.kind)


def _allowed_counts(problem: Problem) -> tuple[Int, Int]:
    """Allowed experts per application and allowed applications per expert (full graph)."""
    expert_on = problem.max_load > 0
    app_on = problem.reviews_needed > 0
    if problem._readers is None or problem.app_language is None:
        per_app = np.full(problem.n_apps, int(expert_on.sum()), np.int64)
        per_expert = np.full(problem.n_experts, int(app_on.sum()), np.int64)
    else:
        readers = problem._readers.astype(np.int64)
        per_app = (readers @ expert_on.astype(np.int64))[problem.app_language]
        codes = problem.app_language[app_on]
        apps_by_code = np.bincount(codes % len(readers), minlength=len(readers))
        per_expert = apps_by_code.astype(np.int64) @ readers
    keys = problem.forbidden_keys
    apps, experts = keys // problem.n_experts, keys % problem.n_experts
    counted = problem.language_ok(apps, experts)
    per_app -= np.bincount(apps[counted & expert_on[experts]], minlength=problem.n_apps)
    per_expert -= np.bincount(experts[counted & app_on[apps]], minlength=problem.n_experts)
    return per_app.astype(np.int64), per_expert.astype(np.int64)


def _listing(kind: str, where: Bool, wanted: Int, got: Int, *, experts: bool = False) -> Shortfall:
    indices = tuple(int(i) for i in np.flatnonzero(where))
    return Shortfall(
        kind=kind,
        applications=() if experts else indices,
        experts=indices if experts else (),
        needed=int(wanted[where].sum()),
        available=int(got[where].sum()),
        short_by=tuple(int(v) for v in (wanted - got)[where]),
    )


def _language_shortfalls(problem: Problem) -> list[Shortfall]:
    if problem._readers is None or problem.app_language is None:
        return []
    found = []
    for code in np.unique(problem.app_language[problem.app_language >= 0]):
        apps = problem.app_language == code
        needed = int(problem.reviews_needed[apps].sum())
        available = int(problem.max_load[problem._readers[code]].sum())
        if available < needed:
            found.append(
                Shortfall(
                    kind="language",
                    applications=tuple(int(a) for a in np.flatnonzero(apps)),
                    needed=needed,
                    available=available,
                    language=int(code),
                )
            )
    return found


def check_feasibility(problem: Problem, candidates: Candidates | None = None) -> list[Shortfall]:
    """Fast necessary conditions, checked before solving; an empty list if none fails.

    They judge the full graph of allowed pairs, not the candidate graph: ``solve`` widens
    the candidate graph when it is the bottleneck, so ``candidates`` does not change the
    answer (it is accepted so that callers can pass what they will solve). Passing these
    checks does not prove feasibility (overlapping conflicts can still leave an
    application short); ``solve`` settles it and reports "coverage" and "min_load".
    """
    del candidates
    found: list[Shortfall] = []
    minimum = np.minimum(problem.min_load, problem.max_load)
    above = problem.min_load > problem.max_load
    if above.any():
        found.append(_listing("limits", above, problem.min_load, problem.max_load, experts=True))
    needed = int(problem.reviews_needed.sum())
    capacity = int(problem.max_load.sum())
    if capacity < needed:
        found.append(Shortfall(kind="capacity", needed=needed, available=capacity))
    if int(minimum.sum()) > needed:
        found.append(Shortfall(kind="minimum", needed=int(minimum.sum()), available=needed))
    found.extend(_language_shortfalls(problem))
    per_app, per_expert = _allowed_counts(problem)
    short = per_app < problem.reviews_needed
    if short.any():
        found.append(_listing("candidates", short, problem.reviews_needed, per_app))
    unreachable = per_expert < minimum
    if unreachable.any():
        found.append(_listing("min_load", unreachable, minimum, per_expert, experts=True))
    return found


# --------------------------------------------------------------------------- affinity


@dataclass(frozen=True)
class AffinityWeights:
    """How much tags, text and bids count; affinity = tags·Jaccard + text·cosine + bid."""

    tags: float = 0.5
    text: float = 0.5
    bid_want: float = 0.3
    bid_prefer_not: float = -0.3


def affinity_inputs(
    app_tags: Sequence[Iterable[Hashable]], expert_tags: Sequence[Iterable[Hashable]]
) -> tuple[Any, Any]:
    """Boolean tag matrices (applications × tags, experts × tags) from lists of tag keys.

    Tag keys are anything hashable (database ids, slugs); columns follow the order in
    which keys first appear, so the same lists give the same matrices.
    """
    columns: dict[Hashable, int] = {}
    matrices = []
    for owners in (app_tags, expert_tags):
        rows: list[int] = []
        cols: list[int] = []
        for row, tags in enumerate(owners):
            for tag in dict.fromkeys(tags):
                rows.append(row)
                cols.append(columns.setdefault(tag, len(columns)))
        matrices.append((rows, cols, len(owners)))
    (app_rows, app_cols, n_apps), (expert_rows, expert_cols, n_experts) = matrices
    width = max(len(columns), 1)
    return (
        sp.csr_array((np.ones(len(app_rows), bool), (app_rows, app_cols)), shape=(n_apps, width)),
        sp.csr_array(
            (np.ones(len(expert_rows), bool), (expert_rows, expert_cols)), shape=(n_experts, width)
        ),
    )


def _tfidf(app_texts: Sequence[str], expert_texts: Sequence[str]) -> tuple[Any, Any]:
    # Character n-grams inside words match across Kazakh, Russian and English without a
    # stemmer per language, and tolerate inflection ("медиация", "медиации", "медиациясы").
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform([*app_texts, *expert_texts])
    except ValueError:  # no text at all: every n-gram vocabulary is empty
        return sp.csr_array((len(app_texts), 0), dtype=np.float32), sp.csr_array(
            (len(expert_texts), 0), dtype=np.float32
        )
    matrix = sp.csr_array(matrix)
    return matrix[: len(app_texts)], matrix[len(app_texts) :]


def _bid_table(
    bids: tuple[Int, Int, Int] | None, n_apps: int, n_experts: int, weights: AffinityWeights
) -> tuple[Int, NDArray[np.float32], Int]:
    """Bid bonuses by sorted pair key; the last bid given for a pair counts."""
    if bids is None:
        empty = np.zeros(0, np.int64)
        return empty, np.zeros(0, np.float32), empty
    apps, experts, values = (np.asarray(part, dtype=np.int64).reshape(-1) for part in bids)
    if not apps.shape == experts.shape == values.shape:
        raise AssignmentError("bids must be three arrays of the same length.")
    if apps.size and (apps.min() < 0 or apps.max() >= n_apps or experts.min() < 0):
        raise AssignmentError("A bid names an application out of range.")
    if experts.size and experts.max() >= n_experts:
        raise AssignmentError("A bid names an expert out of range.")
    if not np.isin(values, (BID_WANT, BID_CAN, BID_PREFER_NOT)).all():
        raise AssignmentError("Bid values are BID_WANT (1), BID_CAN (0) or BID_PREFER_NOT (-1).")
    keys, last = np.unique((apps * n_experts + experts)[::-1], return_index=True)
    chosen = values[::-1][last]
    bonus = np.select(
        [chosen == BID_WANT, chosen == BID_PREFER_NOT], [weights.bid_want, weights.bid_prefer_not]
    ).astype(np.float32)
    return keys, bonus, keys[chosen == BID_WANT]


@dataclass(frozen=True, eq=False)
class AffinityModel:
    """Everything needed to score any (application, expert) pair after the fact.

    ``compute_candidates`` builds it once and keeps it in ``Candidates.scorer``, so that
    ``solve`` can score pairs outside the candidate graph when it has to widen it.
    Text rows are L2-normalised TF-IDF vectors (float32), tags are 0/1 matrices.
    """

    app_text: Any
    expert_text: Any
    app_tags: Any
    expert_tags: Any
    bid_keys: Int
    bid_bonus: NDArray[np.float32]
    want_keys: Int
    weights: AffinityWeights
    # Derived once here rather than lazily, because threads share the model.
    _expert_text_t: Any = field(init=False, repr=False)
    _expert_tags_t: Any = field(init=False, repr=False)
    _app_tag_count: NDArray[np.float32] = field(init=False, repr=False)
    _expert_tag_count: NDArray[np.float32] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        derived = {
            "_expert_text_t": sp.csr_array(self.expert_text.T),
            "_expert_tags_t": sp.csr_array(self.expert_tags.T),
            "_app_tag_count": np.asarray(self.app_tags.sum(axis=1), np.float32).reshape(-1),
            "_expert_tag_count": np.asarray(self.expert_tags.sum(axis=1), np.float32).reshape(-1),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @property
    def n_experts(self) -> int:
        return int(self.expert_text.shape[0])

    def block(self, apps: Int, experts: Int | None = None) -> Block:
        """Affinities of sorted ``apps`` × sorted ``experts`` (default all), float32."""
        if experts is None:
            text_t, tags_t = self._expert_text_t, self._expert_tags_t
            expert_count = self._expert_tag_count
        else:
            text_t = sp.csr_array(self.expert_text[experts].T)
            tags_t = sp.csr_array(self.expert_tags[experts].T)
            expert_count = self._expert_tag_count[experts]
        text = np.asarray((self.app_text[apps] @ text_t).toarray(), np.float32)
        inter = np.asarray((self.app_tags[apps] @ tags_t).toarray(), np.float32)
        union = self._app_tag_count[apps][:, None] + expert_count[None, :] - inter
        jaccard = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        block = cast(
            Block, np.float32(self.weights.text) * text + np.float32(self.weights.tags) * jaccard
        )
        self._add_bids(block, apps, experts)
        return block

    def _add_bids(self, block: Block, apps: Int, experts: Int | None) -> None:
        if not self.bid_keys.size or not len(apps):
            return
        n = self.n_experts
        bid_apps, bid_experts = self.bid_keys // n, self.bid_keys % n
        rows = np.searchsorted(apps, bid_apps)
        hit = (rows < len(apps)) & (apps[np.minimum(rows, len(apps) - 1)] == bid_apps)
        if experts is None:
            cols = bid_experts
        else:
            cols = np.searchsorted(experts, bid_experts)
            hit &= (cols < len(experts)) & (
                experts[np.minimum(cols, len(experts) - 1)] == bid_experts
            )
        block[rows[hit], cols[hit]] += self.bid_bonus[hit]

    def score(self, apps: Int, experts: Int, *, chunk: int = 2000) -> Float:
        """Affinity of each pair (apps[i], experts[i]), as ``compute_candidates`` gives it."""
        out = np.zeros(len(apps), np.float64)
        if not len(apps):
            return out
        rows, cols = np.unique(apps), np.unique(experts)
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            mine = (apps >= part[0]) & (apps <= part[-1])
            block = self.block(part, cols)
            out[mine] = block[
                np.searchsorted(part, apps[mine]), np.searchsorted(cols, experts[mine])
            ]
        return out


def _check_inputs(
    problem: Problem,
    app_texts: Sequence[str],
    expert_texts: Sequence[str],
    app_tags: Any,
    expert_tags: Any,
) -> None:
    if len(app_texts) != problem.n_apps or app_tags.shape[0] != problem.n_apps:
        raise AssignmentError("app_texts and app_tags need one entry per application.")
    if len(expert_texts) != problem.n_experts or expert_tags.shape[0] != problem.n_experts:
        raise AssignmentError("expert_texts and expert_tags need one entry per expert.")
    if app_tags.shape[1] != expert_tags.shape[1]:
        raise AssignmentError("app_tags and expert_tags need the same tag columns.")


def affinity_model(
    app_texts: Sequence[str],
    expert_texts: Sequence[str],
    app_tags: Any,
    expert_tags: Any,
    problem: Problem,
    *,
    bids: tuple[Int, Int, Int] | None = None,
    weights: AffinityWeights = AffinityWeights(),  # frozen, so sharing it is safe
) -> AffinityModel:
    """The scorer ``compute_candidates`` uses; also useful on its own to score given pairs."""
    _check_inputs(problem, app_texts, expert_texts, app_tags, expert_tags)
    app_text, expert_text = _tfidf(app_texts, expert_texts)
    bid_keys, bid_bonus, want_keys = _bid_table(bids, problem.n_apps, problem.n_experts, weights)
    return AffinityModel(
        app_text=app_text,
        expert_text=expert_text,
        # Tags count as present or absent, whatever numbers the matrices hold.
        app_tags=sp.csr_array(sp.csr_array(app_tags) != 0, dtype=np.float32),
        expert_tags=sp.csr_array(sp.csr_array(expert_tags) != 0, dtype=np.float32),
        bid_keys=bid_keys,
        bid_bonus=bid_bonus,
        want_keys=want_keys,
        weights=weights,
    )


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, eq=False)
class Candidates:
    """The sparse graph the solver chooses from: pairs and their affinity.

    Kept sorted by (application, expert), each pair once (the first given wins).
    ``scorer`` scores pairs outside the graph when ``solve`` has to widen it; without
    one (a graph built by hand), those pairs count as the lowest affinity in the graph.
    """

    apps: Int
    experts: Int
    affinity: Float
    scorer: AffinityModel | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        apps = _int_array(self.apps, "Candidate applications")
        experts = _int_array(self.experts, "Candidate experts")
        affinity = np.array(self.affinity, dtype=np.float64).reshape(-1)
        if not apps.shape == experts.shape == affinity.shape:
            raise AssignmentError("Candidate apps, experts and affinity must have one length.")
        if not np.isfinite(affinity).all():
            raise AssignmentError("Candidate affinities must be finite numbers.")
        order = np.lexsort((experts, apps))
        apps, experts, affinity = apps[order], experts[order], affinity[order]
        first = np.ones(len(apps), bool)
        first[1:] = (apps[1:] != apps[:-1]) | (experts[1:] != experts[:-1])
        for name, array in (("apps", apps), ("experts", experts), ("affinity", affinity)):
            kept = array[first]
            kept.setflags(write=False)
            object.__setattr__(self, name, kept)

    def __len__(self) -> int:
        return len(self.apps)


def _top_k_mask(block: Block, k: int) -> Bool:
    """Exactly min(k, columns) entries per row: the largest, ties to the lowest column."""
    columns = block.shape[1]
    if k >= columns:
        return np.ones(block.shape, bool)
    if k <= 0:
        return np.zeros(block.shape, bool)
    kth = np.partition(block, columns - k, axis=1)[:, columns - k]
    above = block > kth[:, None]
    tie = block == kth[:, None]
    room = k - above.sum(axis=1)
    return cast(Bool, above | (tie & (np.cumsum(tie, axis=1, dtype=np.int32) <= room[:, None])))


def _exclude(block: Block, problem: Problem, apps: Int) -> None:
    """Set pairs that may not be assigned to -inf, so that no selection can pick them."""
    n = problem.n_experts
    block[:, problem.max_load <= 0] = -np.inf
    block[problem.reviews_needed[apps] <= 0] = -np.inf
    if problem._readers is not None and problem.app_language is not None:
        block[~problem._readers[problem.app_language[apps]]] = -np.inf
    keys = problem.forbidden_keys
    low, high = np.searchsorted(keys, [apps[0] * n, (apps[-1] + 1) * n])
    block[keys[low:high] // n - apps[0], keys[low:high] % n] = -np.inf


_Pairs = tuple[Int, Int, Float]


def _chunk_candidates(
    model: AffinityModel, problem: Problem, apps: Int, k_app: int, k_expert: int
) -> tuple[_Pairs, NDArray[np.float32], Int]:
    """Per-application picks and wanted bids of one chunk, and its per-expert shortlist."""
    n = problem.n_experts
    block = model.block(apps)
    _exclude(block, problem, apps)
    rows, cols = np.nonzero(_top_k_mask(block, k_app) & np.isfinite(block))
    low, high = np.searchsorted(model.want_keys, [apps[0] * n, (apps[-1] + 1) * n])
    wants = model.want_keys[low:high]
    rows = np.concatenate([rows, wants // n - apps[0]])
    cols = np.concatenate([cols, wants % n])
    values = block[rows, cols].astype(np.float64)
    keep = np.isfinite(values)
    picks = (rows[keep] + apps[0], cols[keep], values[keep])
    # Each expert's best k_expert in this chunk, exactly that many (padded with -inf), so
    # the chunks' shortlists stack into one array per expert.
    by_expert = np.ascontiguousarray(block.T)
    width = min(k_expert, len(apps))
    mask = _top_k_mask(by_expert, width)
    shortlist = by_expert[mask].reshape(n, width)
    app_ids = (np.nonzero(mask)[1] + apps[0]).reshape(n, width)
    return picks, shortlist, app_ids


def _merge_expert_shortlists(values: list[NDArray[np.float32]], apps: list[Int], k: int) -> _Pairs:
    stacked_values = np.concatenate(values, axis=1)
    stacked_apps = np.concatenate(apps, axis=1)
    # Best affinity first, lower application index first among equals.
    order = np.lexsort((stacked_apps, -stacked_values), axis=1)[:, :k]
    best = np.take_along_axis(stacked_values, order, axis=1)
    best_apps = np.take_along_axis(stacked_apps, order, axis=1)
    experts = np.broadcast_to(np.arange(best.shape[0])[:, None], best.shape)
    keep = np.isfinite(best)
    return best_apps[keep], experts[keep].astype(np.int64), best[keep].astype(np.float64)


def candidates_from_model(
    model: AffinityModel,
    problem: Problem,
    *,
    k_per_application: int = 40,
    k_per_expert: int = 60,
    chunk: int = 2000,
    threads: int | None = None,
    progress: Progress | None = None,
) -> Candidates:
    """The candidate graph of ``compute_candidates`` from an already built scorer."""
    if model.app_text.shape[0] != problem.n_apps or model.n_experts != problem.n_experts:
        raise AssignmentError("The scorer was built for another number of applications or experts.")
    n_apps, n_experts = problem.n_apps, problem.n_experts
    minimum = np.minimum(problem.min_load, problem.max_load)
    k_app = max(k_per_application, int(problem.reviews_needed.max(initial=0)))
    k_expert = max(k_per_expert, int(minimum.max(initial=0)))
    chunk = max(chunk, 1)
    starts = range(0, n_apps, chunk)
    if not n_apps or not n_experts:
        empty = np.zeros(0, np.int64)
        return Candidates(empty, empty, np.zeros(0), scorer=model)
    workers = threads or min(len(os.sched_getaffinity(0)), 4)
    _ = problem.forbidden_keys, problem._readers  # cached once, before threads share them
    parts: list[_Pairs] = []
    shortlists: list[NDArray[np.float32]] = []
    shortlist_apps: list[Int] = []

    def work(start: int) -> tuple[_Pairs, NDArray[np.float32], Int]:
        apps = np.arange(start, min(start + chunk, n_apps), dtype=np.int64)
        return _chunk_candidates(model, problem, apps, k_app, k_expert)

    # Threads overlap the sparse products (SciPy and NumPy release the GIL); results are
    # consumed in chunk order, so the graph does not depend on which thread ran first.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done, (picks, values, apps) in enumerate(pool.map(work, starts), start=1):
            parts.append(picks)
            shortlists.append(values)
            shortlist_apps.append(apps)
            _report(progress, "affinity", done / len(starts))
    parts.append(_merge_expert_shortlists(shortlists, shortlist_apps, k_expert))
    return Candidates(
        apps=np.concatenate([p[0] for p in parts]),
        experts=np.concatenate([p[1] for p in parts]),
        affinity=np.concatenate([p[2] for p in parts]),
        scorer=model,
    )


def compute_candidates(
    app_texts: Sequence[str],
    expert_texts: Sequence[str],
    app_tags: Any,
    expert_tags: Any,
    problem: Problem,
    *,
    bids: tuple[Int, Int, Int] | None = None,
    weights: AffinityWeights = AffinityWeights(),  # frozen, so sharing it is safe
    k_per_application: int = 40,
    k_per_expert: int = 60,
    chunk: int = 2000,
    threads: int | None = None,
    progress: Progress | None = None,
) -> Candidates:
    """Score every allowed pair and keep the ones worth offering to the solver.

    Affinity = ``weights.tags`` × Jaccard of the tag sets + ``weights.text`` × cosine of
    character n-gram TF-IDF vectors (the application's title and summary against the
    expert's free text; any language) + the bid bonus (``bids`` = application indices,
    expert indices, ``BID_*`` values; None when bidding is closed).

    The graph holds each application's best ``k_per_application`` experts (at least R),
    each expert's best ``k_per_expert`` applications (at least their minimum load) and
    every "want" bid; forbidden pairs, unreadable languages, experts with no room and
    applications needing nothing are left out before choosing. Applications are scored
    ``chunk`` at a time against all experts (a float32 block), never all at once.
    ``progress(stage, fraction)`` is called with "text" and "affinity".
    """
    _report(progress, "text", 0.0)
    model = affinity_model(
        app_texts, expert_texts, app_tags, expert_tags, problem, bids=bids, weights=weights
    )
    _report(progress, "text", 1.0)
    return candidates_from_model(
        model,
        problem,
        k_per_application=k_per_application,
        k_per_expert=k_per_expert,
        chunk=chunk,
        threads=threads,
        progress=progress,
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
