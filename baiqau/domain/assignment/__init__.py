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

from .affinity import (
    AffinityModel,
    AffinityWeights,
    Candidates,
    affinity_inputs,
    affinity_model,
    candidates_from_model,
    compute_candidates,
)
from .flow import Solution, assign_everyone, reassign, solve
from .problem import (
    BID_CAN,
    BID_PREFER_NOT,
    BID_WANT,
    SCALE,
    AssignmentError,
    Problem,
    Shortfall,
    check_feasibility,
    forbidden_pairs,
)

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
