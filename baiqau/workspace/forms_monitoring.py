"""Forms of the staff's monitoring pages. They check the input's shape; the rules (the tranches
add up to the amount, a final report is due, who may act when) are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from baiqau.core.errors import DomainError
from baiqau.monitoring.models import Agreement, Indicator, Report, ReportKind, Tranche
from baiqau.monitoring.services import IndicatorSpec, ReportSpec, TrancheSpec

MAX_LINES = 40


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by title, organisation or agreement number"),
        max_length=200,
        required=False,
    )


# --- Drafting the agreement ----------------------------------------------------------------


class AgreementForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the agreement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What the money is given for, as the organisation will read it."),
    )
    summary_public = forms.CharField(
        label=_("Public summary of the project"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text=_("Shown on the public pages of the call's results and impact."),
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=60)
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        initial=Decimal(0),
        localize=True,
        required=False,
        help_text=_("Where the project starts; empty means 0."),
    )
    target = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, min_value=Decimal(0), localize=True
    )


class ReportLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    due_date = forms.DateField(label=_("Due date"), widget=_date_input())


class TrancheForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount, ₸"), min_value=1)
    planned_date = forms.DateField(label=_("Planned date"), widget=_date_input())
    condition = forms.TypedChoiceField(
        label=_("Paid once this report is accepted"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, report_labels: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["condition"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared just above
        choices: list[tuple[Any, StrOrPromise]] = [("", _("No condition: paid as planned"))]
        choices += [(str(n), label) for n, label in enumerate(report_labels or [], 1)]
        field.choices = choices


class LineFormSet(forms.BaseFormSet[Any]):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this line")

    def add_error(self, message: str) -> None:
        self.non_form_errors().append(message)

    def kept(self) -> list[tuple[int, forms.Form]]:
        """(line number, form) of the filled lines not marked for removal."""
        return [
            (n, form)
            for n, form in enumerate(self.forms, 1)
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def _formset(form: type[forms.Form]) -> Any:
    return forms.formset_factory(
        form, formset=LineFormSet, extra=1, can_delete=True, max_num=MAX_LINES, validate_max=True
    )


IndicatorFormSet = _formset(IndicatorForm)
ReportFormSet = _formset(ReportLineForm)
TrancheFormSet = _formset(TrancheForm)


def _report_labels(formset: Any) -> list[str]:
    """A label per line of the report schedule, from what it holds now (typed or saved)."""
    kinds = dict(ReportKind.choices)
    labels = []
    for n, form in enumerate(formset.forms, 1):
        kind = kinds.get(str(form["kind"].value() or ""), "")
        due = form["due_date"].value() or ""
        if kind and due:
            labels.append(
                str(_("Line %(n)s: %(kind)s, due %(date)s") % {"n": n, "kind": kind, "date": due})
            )
        else:
            labels.append(str(_("Line %(n)s of the report schedule") % {"n": n}))
    return labels


class ScheduleForms:
    """The draft agreement's edit form: purpose and summary, and its three schedules (indicators,
    reports, tranches) as formsets. A tranche's condition names a line of the report schedule."""

    def __init__(
        self,
        data: Any,
        *,
        agreement: Agreement,
        indicators: list[Indicator],
        reports: list[Report],
        tranches: list[Tranche],
    ) -> None:
        line_of = {report.pk: n for n, report in enumerate(reports, 1)}
        self.main = AgreementForm(
            data,
            initial={"purpose": agreement.purpose, "summary_public": agreement.summary_public},
        )
        self.indicators = IndicatorFormSet(
            data,
            prefix="indicators",
            initial=[
                {"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target}
                for i in indicators
            ],
        )
        self.reports = ReportFormSet(
            data,
            prefix="reports",
            initial=[{"kind": r.kind, "due_date": r.due_date} for r in reports],
        )
        self.tranches = TrancheFormSet(
            data,
            prefix="tranches",
            initial=[
                {
                    "amount": t.amount,
                    "planned_date": t.planned_date,
                    "condition": line_of.get(t.condition_report_id or 0),
                }
                for t in tranches
            ],
            form_kwargs={"report_labels": _report_labels(self.reports)},
        )

    @property
    def parts(self) -> list[Any]:
        return [self.main, self.indicators, self.reports, self.tranches]

    def is_valid(self) -> bool:
        # Every part is validated, so that each shows its errors at once.
        results = [part.is_valid() for part in self.parts]
        valid = all(results)
        return self._check_conditions() and valid

    def _check_conditions(self) -> bool:
        lines = {n for n, _form in self.reports.kept()} if self.reports.is_valid() else None
        ok = True
        for _n, form in self.tranches.kept():
            condition = form.cleaned_data.get("condition")
            if condition is not None and lines is not None and condition not in lines:
                form.add_error(
                    "condition", _("This line of the report schedule is empty or removed.")
                )
                ok = False
        return ok

    def specs(self) -> dict[str, Any]:
        """The cleaned input as ``agreement_update`` takes it."""
        report_lines = [n for n, _form in self.reports.kept()]
        indicators = [
            IndicatorSpec(
                name=form.cleaned_data["name"].strip(),
                unit=form.cleaned_data["unit"].strip(),
                baseline=form.cleaned_data["baseline"] or Decimal(0),
                target=form.cleaned_data["target"],
            )
            for _n, form in self.indicators.kept()
        ]
        reports = [
            ReportSpec(kind=form.cleaned_data["kind"], due_date=form.cleaned_data["due_date"])
            for _n, form in self.reports.kept()
        ]
        tranches = []
        for _n, form in self.tranches.kept():
            condition = form.cleaned_data.get("condition")
            tranches.append(
                TrancheSpec(
                    amount=form.cleaned_data["amount"],
                    planned_date=form.cleaned_data["planned_date"],
                    condition=report_lines.index(condition) if condition is not None else None,
                )
            )
        return {
            "purpose": self.main.cleaned_data["purpose"],
            "summary_public": self.main.cleaned_data.get("summary_public") or "",
            "indicators": indicators,
            "reports": reports,
            "tranches": tranches,
        }

    def errors(self) -> list[tuple[str, str]]:
        """Every error of the four parts as (anchor, text), for one summary at the top."""
        found = [("", str(e)) for e in self.main.non_field_errors()]
        found += [
            (field.auto_id, f"{field.label}: {e}") for field in self.main for e in field.errors
        ]
        for formset, line in (
            (self.indicators, _("Indicator, line %(n)s")),
            (self.reports, _("Report, line %(n)s")),
            (self.tranches, _("Tranche, line %(n)s")),
        ):
            found += [("", str(e)) for e in formset.non_form_errors()]
            for n, form in enumerate(formset.forms, 1):
                found += [("", f"{line % {'n': n}}: {e}") for e in form.non_field_errors()]
                found += [
                    (field.auto_id, f"{line % {'n': n}}, {field.label}: {e}")
                    for field in form
                    for e in field.errors
                ]
        return found

    def refuse(self, error: DomainError) -> None:
        """Show a service's refusal beside the part it is about."""
        if error.code == "purpose":
            self.main.add_error("purpose", error.message)
        elif error.code in ("indicators", "reports", "tranches"):
            getattr(self, error.code).add_error(error.message)
        else:
            self.main.add_error(None, error.message)


# --- Actions -----------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(
        self, *args: Any, label: StrOrPromise, help_text: StrOrPromise = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text or _("Recorded in the audit log.")


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=_date_input())
    reference = forms.CharField(
        label=_("Payment order's reference"),
        max_length=100,
        help_text=_("The number of the payment order, as the bank or the treasury gives it."),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the organisation (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What the organisation should revise"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("The organisation reads this with the returned report."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=_date_input())
    visitors = forms.CharField(
        label=_("Who visited"),
        max_length=300,
        help_text=_("Names and roles, e.g. “A. Sadykova, secretariat”."),
    )
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("What was seen and discussed. Do not name the people the project serves."),
    )
    photos = MultipleFileField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("JPEG or PNG, up to 10 MB each. You may choose several."),
    )
