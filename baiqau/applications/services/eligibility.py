"""Whether an organisation may apply to a call, told before anyone types anything."""

from __future__ import annotations

from django.utils.translation import gettext as _

from baiqau.calls.models import Call
from baiqau.core import clock
from baiqau.organisations.models import Organisation


def months_registered(organisation: Organisation) -> int | None:
    """Months since registration, read from the BIN (its first four digits are YYMM)."""
    try:
        year, month = int(organisation.bin[:2]), int(organisation.bin[2:4])
    except (TypeError, ValueError):
        return None
    now = clock.now()
    century = 2000 if 2000 + year <= now.year else 1900
    return (now.year - (century + year)) * 12 + (now.month - month)


def eligibility_problems(call: Call, organisation: Organisation) -> list[str]:
    problems = []
    if organisation.org_type not in call.eligible_org_types:
        problems.append(
            _("Organisations of the type “%(type)s” are not eligible for this call.")
            % {"type": organisation.get_org_type_display()}
        )
    if call.min_registered_months:
        months = months_registered(organisation)
        if months is None or months < call.min_registered_months:
            problems.append(
                _(
                    "This call asks for organisations registered at least %(months)s months "
                    "ago; by its BIN, this one was registered %(have)s months ago."
                )
                % {
                    "months": call.min_registered_months,
                    "have": months if months is not None else "?",
                }
            )
    if call.region:
        city = (organisation.city or "").strip().casefold()
        region = call.region.strip().casefold()
        if not city or (region not in city and city not in region):
            problems.append(
                _("This call is for organisations located in %(region)s.") % {"region": call.region}
            )
    return problems
