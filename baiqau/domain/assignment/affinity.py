"""Affinity between applications and experts, and the sparse candidate graph."""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from .problem import (
    BID_CAN,
    BID_PREFER_NOT,
    BID_WANT,
    AssignmentError,
    Block,
    Bool,
    Float,
    Int,
    Problem,
    Progress,
    _int_array,
    _report,
)

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
