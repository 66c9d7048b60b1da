"""Render docs/states.md from the state tables, so the documentation cannot drift from code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import TextChoices
from django.utils import translation

from baiqau.applications import transitions as application_transitions
from baiqau.applications.models import ApplicationStatus
from baiqau.calls import transitions as call_transitions
from baiqau.calls.models import CallStatus
from baiqau.monitoring import transitions as monitoring_transitions
from baiqau.monitoring.models import AgreementStatus, ReportStatus, TrancheStatus

TABLES: list[tuple[str, type[TextChoices], Mapping[tuple[str, str], Any]]] = [
    ("Call", CallStatus, call_transitions.TRANSITIONS),
    ("Application", ApplicationStatus, application_transitions.TRANSITIONS),
    ("Agreement", AgreementStatus, monitoring_transitions.AGREEMENT),
    ("Report", ReportStatus, monitoring_transitions.REPORT),
    ("Tranche", TrancheStatus, monitoring_transitions.TRANCHE),
]


def render_states() -> str:
    lines = [
        "# States and transitions",
        "",
        "Generated from the `transitions.py` tables by `baiqau states`; a test fails when this",
        "file is stale. A move not listed is refused. Corrections need a written reason.",
    ]
    with translation.override("en"):
        for name, choices, table in TABLES:
            lines += [
                "",
                f"## {name}",
                "",
                "States: " + ", ".join(f"`{v}`" for v in choices.values),
            ]
            lines += ["", "| from | to | move | label | needs a reason |", "|---|---|---|---|---|"]
            for (source, target), move in table.items():
                reason = "yes" if move.needs_reason else ""
                lines.append(
                    f"| `{source}` | `{target}` | `{move.name}` | {move.label} | {reason} |"
                )
            lines += ["", "```mermaid", "stateDiagram-v2"]
            lines += [f"    {s} --> {t}: {m.name}" for (s, t), m in table.items()]
            lines += ["```"]
    return "\n".join(lines) + "\n"
