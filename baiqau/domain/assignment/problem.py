"""The assignment problem: limits, exclusions, and the shortfalls that make it infeasible."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

if TYPE_CHECKING:
    from .affinity import Candidates

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
