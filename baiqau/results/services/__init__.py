"""Writes of the results app: rules, ranking, the commission's decision, publication."""

from .publish import results_publish, results_reopen
from .ranking import ranking_compute, results_inputs
from .rules import domain_rules, result_rules_for, result_rules_update, rules_editable

__all__ = [
    "domain_rules",
    "ranking_compute",
    "result_rules_for",
    "result_rules_update",
    "results_inputs",
    "results_publish",
    "results_reopen",
    "rules_editable",
]
