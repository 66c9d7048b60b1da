"""Least squares: quality + expert bias (× expert scale), with ridges, for overlapping sets.

See the package's docstring for the model and for why every sum here is a bincount or
an fsum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from baiqau.domain.scoring import AggregationMethod, ScoringError, round_fixed

from .effects import (
    Calibration,
    CalibrationMethod,
    ExpertEffect,
    Rows,
    Totals,
    Unestimated,
    _by_expert,
    _exact_mean,
    _result,
    _rows,
    _unestimated,
)

Float = NDArray[np.float64]
Int = NDArray[np.intp]

# A scale below this would let one expert's tiny differences decide everything.
SCALE_FLOOR = 0.1
CG_TOLERANCE = 1e-13
MAX_OUTER = 500
OUTER_TOLERANCE = 1e-11


def _fdot(x: Float, y: Float) -> float:
    return math.fsum((x * y).tolist())


class _Flat:
    """The reviews as arrays, sorted by (application, expert)."""

    def __init__(self, rows: Rows) -> None:
        self.app_ids = sorted({application for application, _, _ in rows})
        self.expert_ids = sorted({expert for _, expert, _ in rows})
        app_index = {application: i for i, application in enumerate(self.app_ids)}
        expert_index = {expert: i for i, expert in enumerate(self.expert_ids)}
        self.a: Int = np.asarray([app_index[a] for a, _, _ in rows], dtype=np.intp)
        self.e: Int = np.asarray([expert_index[e] for _, e, _ in rows], dtype=np.intp)
        # float(Fraction) is correctly rounded: the one conversion from exact values.
        self.y: Float = np.asarray([float(v) for _, _, v in rows], dtype=np.float64)
        self.n_apps = len(self.app_ids)
        self.n_experts = len(self.expert_ids)
        self.counts: Float = self.per_expert(np.ones(len(rows)))

    def groups(self) -> tuple[int, Int]:
        """Connected groups of the bipartite graph; labels of applications, then experts."""
        n = self.n_apps + self.n_experts
        graph = sp.coo_array(
            (np.ones(len(self.a)), (self.a, self.e + self.n_apps)), shape=(n, n)
        ).tocsr()
        count, labels = connected_components(graph, directed=False)
        return int(count), np.asarray(labels, dtype=np.intp)

    def per_app(self, weights: Float) -> Float:
        return np.asarray(np.bincount(self.a, weights, minlength=self.n_apps), dtype=np.float64)

    def per_expert(self, weights: Float) -> Float:
        return np.asarray(np.bincount(self.e, weights, minlength=self.n_experts), dtype=np.float64)


def _estimable(rows: Rows, min_reviews: int) -> tuple[Rows, dict[int, Unestimated]]:
    """The reviews the model learns from, and why the other experts are left out.

    An expert with fewer than ``min_reviews`` reviews, or none on an application
    that another estimated expert also reviewed, takes no part: their totals stay
    as they are (bias 0, scale 1) and do not move anyone else's estimate.
    """
    counts: dict[int, int] = {}
    for _, expert_id, _ in rows:
        counts[expert_id] = counts.get(expert_id, 0) + 1
    reasons = {e: Unestimated.FEW_REVIEWS for e, count in counts.items() if count < min_reviews}
    while True:
        kept = [row for row in rows if row[1] not in reasons]
        reviewers: dict[int, int] = {}
        for application_id, _, _ in kept:
            reviewers[application_id] = reviewers.get(application_id, 0) + 1
        sharing = {expert for application, expert, _ in kept if reviewers[application] > 1}
        alone = {expert for _, expert, _ in kept} - sharing
        if not alone:
            return kept, reasons
        reasons.update(dict.fromkeys(alone, Unestimated.NO_OVERLAP))


def _cg(
    apply: Callable[[Float], Float], rhs: Float, precondition: Float, x: Float, limit: int
) -> tuple[Float, int, bool]:
    """Preconditioned conjugate gradients with order-free dot products."""
    target = CG_TOLERANCE * math.sqrt(_fdot(rhs, rhs))
    residual = rhs - apply(x)
    z = residual * precondition
    direction = z.copy()
    rz = _fdot(residual, z)
    for iteration in range(limit):
        if math.sqrt(_fdot(residual, residual)) <= target:
            return x, iteration, True
        product = apply(direction)
        curvature = _fdot(direction, product)
        if curvature <= 0:
            break
        step = rz / curvature
        x = x + step * direction
        residual = residual - step * product
        z = residual * precondition
        rz_next = _fdot(residual, z)
        direction = z + (rz_next / rz) * direction
        rz = rz_next
    return x, limit, math.sqrt(_fdot(residual, residual)) <= target * 1e3


def _solve_given_scale(
    flat: _Flat, z: Float, c: Float, ridge: float, start: Float
) -> tuple[Float, Float, int, bool]:
    """Minimise Σ (z − c·u[application] − b[expert])² + ridge·Σ b² over u and b.

    Each u is a weighted mean given b, so eliminating them leaves an experts ×
    experts system, symmetric and positive definite (semidefinite without a ridge,
    singular along one constant shift per group, which CG never needs to resolve).
    """
    weight = flat.per_app(c * c)
    cz = flat.per_app(c * z)
    diagonal = flat.counts + ridge

    def apply(b: Float) -> Float:
        return diagonal * b - flat.per_expert(c * (flat.per_app(c * b[flat.e]) / weight)[flat.a])

    rhs = flat.per_expert(z) - flat.per_expert(c * (cz / weight)[flat.a])
    # Positive: every expert here shares an application with another (`_estimable`).
    jacobi = diagonal - flat.per_expert(c * c / weight[flat.a])
    if _fdot(rhs, rhs) == 0:
        b, iterations, converged = np.zeros(flat.n_experts), 0, True
    else:
        b, iterations, converged = _cg(apply, rhs, 1.0 / jacobi, start, 20 * flat.n_experts + 200)
    u = (cz - flat.per_app(c * b[flat.e])) / weight
    return u, b, iterations, converged


@dataclass
class _State:
    u: Float  # quality − centre, per application
    b: Float  # bias, per expert
    s: Float  # scale, per expert


def _recentre(flat: _Flat, state: _State) -> _State:
    """Without a ridge, make the biases of each group sum to zero."""
    _, labels = flat.groups()
    apps, experts = labels[: flat.n_apps], labels[flat.n_apps :]
    shift = np.zeros(int(labels.max()) + 1)
    for group in np.unique(experts).tolist():
        members = state.b[experts == group]
        shift[group] = math.fsum(members.tolist()) / len(members)
    return _State(u=state.u + shift[apps], b=state.b - shift[experts], s=state.s)


def _normalise(flat: _Flat, labels: Int, state: _State) -> _State:
    """Jump along the directions the data cannot see, to where the ridges are lowest.

    Within a group, u → c·u + d with scale → scale / c and bias → bias − scale·d / c
    fits every review exactly as before; only the ridges tell the difference, and
    they are lowest at c = Σ scale² / Σ scale, d = c · Σ scale·bias / Σ scale².
    Alternating steps would crawl there over hundreds of rounds.
    """
    apps, experts = labels[: flat.n_apps], labels[flat.n_apps :]
    size = int(labels.max()) + 1
    ss = np.bincount(experts, state.s * state.s, minlength=size)
    s1 = np.bincount(experts, state.s, minlength=size)
    sb = np.bincount(experts, state.s * state.b, minlength=size)
    c = ss / s1
    d = sb / ss * c
    scale = state.s / c[experts]
    return _State(u=c[apps] * state.u + d[apps], b=state.b - scale * d[experts], s=scale)


def _scales(flat: _Flat, z: Float, u: Float, ridge: float, pull: float) -> Float:
    """Each expert's best (scale, bias) given u: a 2 × 2 ridge regression."""
    ua = u[flat.a]
    su, suu = flat.per_expert(ua), flat.per_expert(ua * ua)
    sz, suz = flat.per_expert(z), flat.per_expert(ua * z)
    a11, a22 = suu + pull, flat.counts + ridge
    determinant = a11 * a22 - su * su  # > 0: pull > 0 and ridge > 0
    return np.maximum(((suz + pull) * a22 - su * sz) / determinant, SCALE_FLOOR)


def _fit_scales(
    flat: _Flat, z: Float, state: _State, ridge: float, pull: float
) -> tuple[_State, int, bool]:
    """Alternate: (quality, bias) given the scales, then (scale, bias) per expert."""
    _, labels = flat.groups()
    iterations = 0
    for _ in range(MAX_OUTER):
        following = _scales(flat, z, state.u, ridge, pull)
        change = float(np.max(np.abs(following - state.s)))
        u, b, more, converged = _solve_given_scale(flat, z, following[flat.e], ridge, state.b)
        state = _normalise(flat, labels, _State(u=u, b=b, s=following))
        iterations += more
        if not converged:
            return state, iterations, False
        if change <= OUTER_TOLERANCE:
            return state, iterations, True
    return state, iterations, False


def _check_settings(bias_ridge: float, scale: bool, scale_ridge: float, min_reviews: int) -> None:
    if not (bias_ridge >= 0 and math.isfinite(bias_ridge)):
        raise ScoringError("The bias ridge must be zero or a positive number.")
    if scale and not (bias_ridge > 0 and scale_ridge > 0 and math.isfinite(scale_ridge)):
        raise ScoringError("With expert scales, both ridges must be positive.")
    if min_reviews < 1:
        raise ScoringError("An expert's effect needs at least one review to estimate.")


def _estimate(
    rows: Rows, centre: Decimal, bias_ridge: float, scale: bool, scale_ridge: float
) -> tuple[_Flat, _State, int, bool]:
    flat = _Flat(rows)
    z = flat.y - float(centre)
    u, b, iterations, converged = _solve_given_scale(
        flat, z, np.ones(len(z)), bias_ridge, np.zeros(flat.n_experts)
    )
    state = _State(u=u, b=b, s=np.ones(flat.n_experts))
    if scale and converged:
        pull = scale_ridge * _fdot(z, z) / len(z)
        state, more, converged = _fit_scales(flat, z, state, bias_ridge, pull)
        iterations += more
    elif bias_ridge == 0:
        state = _recentre(flat, state)
    return flat, state, iterations, converged


def calibrate_least_squares(
    totals: Totals,
    *,
    aggregation: AggregationMethod = AggregationMethod.MEAN,
    bias_ridge: float = 2.0,
    scale: bool = False,
    scale_ridge: float = 5.0,
    min_reviews: int = 3,
) -> Calibration:
    """Fit quality + expert bias (× expert scale) by regularised least squares.

    Experts with fewer than ``min_reviews`` reviews, or who share no application
    with another estimated expert, are not estimated (see ``_estimable``). The
    calibrated score of an application is the call's aggregation method over its
    calibrated totals; with the mean and no scale it is the model's quality.
    ``groups`` counts the connected groups of the estimated experts and their
    applications: each group's biases are relative to its own experts.
    """
    bias_ridge, scale_ridge = float(bias_ridge), float(scale_ridge)
    _check_settings(bias_ridge, scale, scale_ridge, min_reviews)
    rows = _rows(totals)
    if not rows:
        raise ScoringError("There are no review totals to calibrate.")
    centre = round_fixed(_exact_mean(value for _, _, value in rows))
    estimable, reasons = _estimable(rows, min_reviews)
    experts: dict[int, ExpertEffect] = {}
    groups, iterations, converged = 0, 0, True
    if estimable:
        flat, state, iterations, converged = _estimate(
            estimable, centre, bias_ridge, scale, scale_ridge
        )
        groups = flat.groups()[0]
        counts = flat.counts.astype(np.intp).tolist()
        for index, expert_id in enumerate(flat.expert_ids):
            bias, spread = round_fixed(float(state.b[index])), round_fixed(float(state.s[index]))
            experts[expert_id] = ExpertEffect(expert_id, counts[index], bias, spread)
    for expert_id, values in _by_expert(rows).items():
        if expert_id in reasons:
            experts[expert_id] = _unestimated(expert_id, len(values), reasons[expert_id])
    method = CalibrationMethod.LEAST_SQUARES_SCALE if scale else CalibrationMethod.LEAST_SQUARES
    experts = dict(sorted(experts.items()))
    return _result(rows, method, aggregation, centre, experts, groups, iterations, converged)
