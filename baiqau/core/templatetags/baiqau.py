from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django import forms, template
from django.utils.formats import number_format

from baiqau.domain.money import format_tenge

register = template.Library()


@register.filter
def tenge(amount: Any) -> str:
    """Whole tenge with no-break spaces: 1 000 000 ₸ (the same in every language)."""
    if amount is None or amount == "":
        return ""
    return format_tenge(int(amount))


@register.filter
def score(value: Any, places: int = 2) -> str:
    """A score rounded half-to-even and written with the language's decimal separator."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-int(places))
    return number_format(Decimal(value).quantize(quantum, rounding=ROUND_HALF_EVEN), int(places))


@register.inclusion_tag("core/_field.html")
def render_field(field: Any, extra_class: str = "") -> dict[str, Any]:
    """A labelled field whose help text and errors are tied to the input for screen readers."""
    widget = field.field.widget
    help_id = f"{field.auto_id}-help"
    error_id = f"{field.auto_id}-error"
    described = [
        i for i, present in ((help_id, field.help_text), (error_id, field.errors)) if present
    ]
    attrs: dict[str, Any] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    required = field.field.required or getattr(field.field, "required_for_submission", False)
    if required:
        attrs["aria-required"] = "true"
    is_group = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    return {
        "field": field,
        "is_group": is_group,
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "widget_html": "" if is_group else field.as_widget(attrs=attrs),
        "group_attrs": attrs,
        "help_id": help_id,
        "error_id": error_id,
        "extra_class": extra_class,
        "required": required,
    }


@register.simple_tag
def answer_text(question: Any, answers: dict[int, Any], attachments: Any = ()) -> str:
    """A question's answer as a person reads it, in the active language."""
    from datetime import date

    from django.utils.formats import date_format
    from django.utils.translation import gettext

    kind = question.kind
    if kind == "file":
        names = [a.original_name for a in attachments if a.question_id == question.pk]
        return ", ".join(names) or "—"
    value = answers.get(question.pk)
    if value is None or value in ("", []):
        return "—"
    if kind == "yes_no":
        return gettext("Yes") if value else gettext("No")
    if kind in ("single_choice", "multiple_choice"):
        labels = dict(question.choice_pairs())
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if kind == "date":
        try:
            return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if kind == "number":
        return number_format(Decimal(str(value)))
    return str(value)
