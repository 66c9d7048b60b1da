"""The jury's use cases; see each module."""

from .assignments import (
    assignment_add,
    assignment_everyone,
    assignment_remove,
    assignment_run_apply,
    assignment_run_apply_later,
    assignment_run_discard,
    assignment_run_start,
    assignment_swap,
    expert_withdraw,
)
from .common import JURY_MANAGERS, plan_for
from .declarations import declaration_make
from .experts import (
    commission_problems,
    expert_add,
    expert_profile_update,
    expert_seat,
    expert_staff_update,
)
from .plan import expertise_tags_ensure, expertise_tags_save, review_plan_update
from .reviews import review_save, review_submit

__all__ = [
    "JURY_MANAGERS",
    "assignment_add",
    "assignment_everyone",
    "assignment_remove",
    "assignment_run_apply",
    "assignment_run_apply_later",
    "assignment_run_discard",
    "assignment_run_start",
    "assignment_swap",
    "commission_problems",
    "declaration_make",
    "expert_add",
    "expert_profile_update",
    "expert_seat",
    "expert_staff_update",
    "expert_withdraw",
    "expertise_tags_ensure",
    "expertise_tags_save",
    "plan_for",
    "review_plan_update",
    "review_save",
    "review_submit",
]
