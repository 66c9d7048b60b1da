"""Forms of the organisation's pages: accepting the agreement, writing a report, adding files.

The report form never refuses a draft: every field is optional while saving, and the rules of
a complete report are the service's (``report_submit`` raises ``ReportInvalid`` with errors
keyed by part of the report). ``ReportForm`` turns the POST into the draft JSON the service
keeps and puts the service's errors back next to the fields they concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from baiqau.applications.uploads import ACCEPT_ATTRIBUTE
from baiqau.domain.money import format_tenge

from .models import AgeGroup, DisabilityGroup, Indicator, Sex
from .selectors_org import ReportPage, plain_number

TEXT_LIMIT = 20000


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have read the agreement, its payment and reporting schedules and its "
            "indicators, and I accept it on behalf of the organisation."
        ),
        error_messages={"required": _("Tick the box to confirm you have read the agreement.")},
    )


class ReportFileForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or document"),
        help_text=_("PDF, DOCX, XLSX, ODT, JPEG or PNG; at most 10 MB each, 30 MB in all."),
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    disability: bool
    group: str


def beneficiary_columns(ask_group: bool) -> list[Column]:
    """The column "without disability", then one "with disability" column or one per disability group."""
    columns = [Column("no", _("Without disability"), False, "")]
    if not ask_group:
        return [*columns, Column("yes", _("With disability"), True, "")]
    groups = [
        ("g1", DisabilityGroup.FIRST),
        ("g2", DisabilityGroup.SECOND),
        ("g3", DisabilityGroup.THIRD),
        ("gchild", DisabilityGroup.CHILD),
    ]
    columns += [Column(key, group.label, True, group.value) for key, group in groups]
    return [*columns, Column("gnone", _("With disability, group not stated"), True, "")]


AGE_GROUPS = list(AgeGroup)
SEXES = list(Sex)


def _cell_name(age_index: int, sex: str, column: str) -> str:
    return f"ben-{age_index}-{sex}-{column}"


class ReportForm(forms.Form):
    """The report: narrative, indicator values, beneficiaries by category, spending."""

    def __init__(
        self, page: ReportPage, *, data: Any = None, draft: dict[str, Any] | None = None
    ) -> None:
        self.page = page
        self.columns = beneficiary_columns(page.ask_disability_group)
        super().__init__(data=data, initial=self._initial(draft or {}))
        self.beneficiary_keys: list[str] = []
        self._add_fields()

    # Fields --------------------------------------------------------------------------------

    def _add_fields(self) -> None:
        def text(
            label: StrOrPromise, help_text: StrOrPromise, rows: int = 6, needed: bool = True
        ) -> Any:
            field = forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_LIMIT}),
            )
            field.required_for_submission = needed  # type: ignore[attr-defined]
            return field

        self.fields["done"] = text(
            _("What was done"), _("The activities of this period: what, when and for whom.")
        )
        self.fields["changed"] = text(
            _("What changed for the people served"),
            _("What is different for them now: skills, services, living conditions."),
        )
        self.fields["difficulties"] = text(
            _("Difficulties"),
            _("What got in the way, and what you did about it (optional)."),
            rows=4,
            needed=False,
        )
        for indicator in self.page.indicators:
            field = forms.CharField(
                label=_("%(name)s, in %(unit)s") % {"name": indicator.name, "unit": indicator.unit},
                help_text=_("Value reached so far. Baseline: %(baseline)s; target: %(target)s.")
                % {
                    "baseline": plain_number(indicator.baseline),
                    "target": plain_number(indicator.target),
                },
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 30}),
            )
            field.required_for_submission = True  # type: ignore[attr-defined]
            self.fields[f"indicator-{indicator.pk}"] = field
        for a, age in enumerate(AGE_GROUPS):
            for sex in SEXES:
                for column in self.columns:
                    self.fields[_cell_name(a, sex.value, column.key)] = forms.CharField(
                        label=_("%(age)s, %(sex)s: %(column)s")
                        % {"age": age.label, "sex": str(sex.label).lower(), "column": column.label},
                        required=False,
                        widget=forms.TextInput(
                            attrs={"inputmode": "numeric", "size": 5, "maxlength": 9}
                        ),
                    )
        for line in self.page.budget_lines:
            self.fields[f"spent-{line.pk}"] = forms.CharField(
                label=_("%(item)s: spent, ₸") % {"item": line.item},
                help_text=_("Planned: %(planned)s.") % {"planned": format_tenge(line.requested)},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 15}),
            )
            self.fields[f"spent-{line.pk}"].required_for_submission = True  # type: ignore[attr-defined]
            self.fields[f"explanation-{line.pk}"] = forms.CharField(
                label=_("%(item)s: why the spending differs from the plan") % {"item": line.item},
                help_text=_("Required when the amount spent is not the planned amount."),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": 5000}),
            )

    def _initial(self, draft: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {k: draft.get(k, "") for k in ("done", "changed", "difficulties")}
        for pk, value in (draft.get("indicators") or {}).items():
            initial[f"indicator-{pk}"] = value
        for row in draft.get("beneficiaries") or []:
            name = self._cell_for(row)
            if name is not None:
                initial[name] = row.get("count", "")
        for pk, entry in (draft.get("spending") or {}).items():
            initial[f"spent-{pk}"] = entry.get("spent", "")
            initial[f"explanation-{pk}"] = entry.get("explanation", "")
        return initial

    def _cell_for(self, row: dict[str, Any]) -> str | None:
        ages = [a.value for a in AGE_GROUPS]
        if row.get("age_group") not in ages or row.get("sex") not in Sex.values:
            return None
        if not row.get("disability"):
            key = "no"
        elif not self.page.ask_disability_group:
            key = "yes"
        else:
            group = row.get("disability_group") or ""
            key = next((c.key for c in self.columns if c.disability and c.group == group), "gnone")
        return _cell_name(ages.index(row["age_group"]), row["sex"], key)

    # The draft -----------------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return str(self.data.get(name, "") if self.is_bound else self.initial.get(name, ""))

    def draft(self) -> dict[str, Any]:
        """The draft JSON (see services/reports.py) from what was typed; empty cells are 0."""
        rows = []
        self.beneficiary_keys = []
        for a, age in enumerate(AGE_GROUPS):
            for sex in SEXES:
                for column in self.columns:
                    name = _cell_name(a, sex.value, column.key)
                    count = self._value(name).strip()
                    if not count:
                        continue
                    rows.append(
                        {
                            "age_group": age.value,
                            "sex": sex.value,
                            "disability": column.disability,
                            "disability_group": column.group,
                            "count": count,
                        }
                    )
                    self.beneficiary_keys.append(name)
        return {
            "done": self._value("done"),
            "changed": self._value("changed"),
            "difficulties": self._value("difficulties"),
            "indicators": {
                str(i.pk): self._value(f"indicator-{i.pk}").strip() for i in self.page.indicators
            },
            "beneficiaries": rows,
            "spending": {
                str(line.pk): {
                    "spent": self._value(f"spent-{line.pk}").strip(),
                    "explanation": self._value(f"explanation-{line.pk}"),
                }
                for line in self.page.budget_lines
            },
        }

    # The service's errors ------------------------------------------------------------------

    def _field_for(self, key: str) -> str | None:
        if key in ("done", "changed", "difficulties") or key.startswith("indicator-"):
            return key if key in self.fields else None
        if key.startswith("beneficiaries-"):
            index = key.removeprefix("beneficiaries-")
            if index.isdigit() and int(index) < len(self.beneficiary_keys):
                return self.beneficiary_keys[int(index)]
            return None
        if key.startswith("spending-"):
            pk = key.removeprefix("spending-")
            spent = self._value(f"spent-{pk}").strip().replace(" ", "").replace("\u00a0", "")
            # A valid amount that differs from the plan needs its explanation.
            name = f"explanation-{pk}" if spent.isdigit() else f"spent-{pk}"
            return name if name in self.fields else None
        return None

    def add_report_errors(self, errors: dict[str, list[str]]) -> None:
        """Put ``ReportInvalid.errors`` next to their fields (call ``draft()`` first)."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        for key, messages in errors.items():
            name = self._field_for(key)
            for message in messages:
                self.add_error(name, message)

    # Rendering -----------------------------------------------------------------------------

    def indicator_fields(self) -> list[tuple[Indicator, forms.BoundField]]:
        return [(i, self[f"indicator-{i.pk}"]) for i in self.page.indicators]

    def beneficiary_rows(self) -> list[dict[str, Any]]:
        rows = []
        for a, age in enumerate(AGE_GROUPS):
            for sex in SEXES:
                cells = []
                for column in self.columns:
                    bound = self[_cell_name(a, sex.value, column.key)]
                    attrs: dict[str, Any] = {}
                    if bound.errors:
                        attrs = {
                            "aria-invalid": "true",
                            "aria-describedby": f"{bound.auto_id}-error",
                        }
                    cells.append({"field": bound, "html": bound.as_widget(attrs=attrs)})
                rows.append({"age": age.label, "sex": sex.label, "cells": cells})
        return rows

    def spending_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "line": line,
                "spent": self[f"spent-{line.pk}"],
                "explanation": self[f"explanation-{line.pk}"],
            }
            for line in self.page.budget_lines
        ]
