"""Calibration for expert severity: what a score would be with an average expert.

A lenient expert lifts every application they review, a severe one sinks it; when
experts review different applications, the raw mean rewards the luck of the draw.
Two models state each expert's effect, and the call states which one it uses:

* **z-score** (``calibrate_zscore``), for small panels where every expert scores
  every application: each expert's totals are standardised by that expert's mean
  and sample standard deviation and mapped back onto the panel's scale (the mean
  of the experts' means, the root mean square of their standard deviations).
* **least squares** (``calibrate_least_squares``), when the experts' sets of
  applications overlap: ``total = quality[application] + bias[expert]``,
  optionally ``centre + scale[expert] × (quality − centre) + bias[expert]``,
  fitted with a ridge penalty ``bias_ridge × Σ bias²`` (and
  ``scale_ridge × variance × Σ (scale − 1)²``). A ridge of k means "as if each
  expert had also given k reviews at the panel's level": an expert with three
  reviews is believed less than one with thirty. The ridge also makes the model
  identifiable: within each connected group of experts and applications the
  biases sum to zero, so "the panel" is the average expert. With
  ``bias_ridge=0`` the sum-to-zero is imposed directly.

Either way, an expert's effect is an affine map of their review totals::

    calibrated = centre + (raw − centre − bias) / scale

where ``centre``, ``bias`` and ``scale`` are published rounded half-to-even to
``DECIMALS`` (6) places. The calibrated totals, and the calibrated score of each
application (the call's aggregation method over them), are computed from those
rounded values with exact fractions (``apply_effects``). So anyone holding the
published raw totals and effects gets the same calibrated scores, ties included,
without a single float; only estimating the effects needs floats.

Floats and determinism. The input is sorted by (application, expert) first. The
estimation then uses only operations IEEE 754 rounds correctly element by element
(numpy's ``+ − × ÷`` and ``sqrt``), sums by ``numpy.bincount`` (a plain loop in
input order) and ``math.fsum`` (exactly rounded, so free of order) for every dot
product and norm: no BLAS, no ``numpy.sum`` (its pairwise order depends on the
build's SIMD width), no threads; each ufunc call is one rounding, so no fused
multiply-add can creep in. The same input therefore gives bit-identical effects on
every machine with IEEE 754 doubles, and the same rounded values. Renaming experts
or applications changes the order of bincount's additions, hence the last bits of
the solver's path (it stops at a relative residual of 1e-13); the rounded values
differ only if an exact value lies within about 1e-9 of a rounding boundary. A
verifier that re-estimates the effects with other software should accept a
difference of one unit in the sixth decimal, and then recompute the scores exactly
from the published effects.

Experts with too few reviews, or who share no application with another estimated
expert, take no part in the fit: their totals are used as they are (bias 0, scale
1) and do not move anyone else's estimate.
"""

from .effects import (
    Calibration,
    CalibrationMethod,
    ExpertDifference,
    ExpertEffect,
    Totals,
    Unestimated,
    apply_effects,
    expert_differences,
)
from .least_squares import calibrate_least_squares
from .zscore import calibrate_zscore

__all__ = [
    "Calibration",
    "CalibrationMethod",
    "ExpertDifference",
    "ExpertEffect",
    "Totals",
    "Unestimated",
    "apply_effects",
    "calibrate_least_squares",
    "calibrate_zscore",
    "expert_differences",
]
