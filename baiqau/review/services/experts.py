"""Experts: a seat on a call's panel, the expert's own profile, the commission."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.audit.services import audit_record
from baiqau.calls.models import Call
from baiqau.core import clock
from baiqau.core.errors import DomainError
from baiqau.domain.identifiers import IdentifierError, normalise_identifier, validate_bin

from ..models import Expert, ExpertiseTag, ExpertStatus
from .common import PLAN_EDITORS, check_role

LANGUAGES = ("kk", "ru", "en")


@transaction.atomic
def expert_seat(
    *,
    actor: Any,
    call: Call,
    user: Any,
    is_commission: bool = False,
    is_chair: bool = False,
    expertise: str = "",
) -> Expert:
    """Give a person a seat on the call's panel (or take them back after a withdrawal); a seat
    on the commission is kept when they already have one."""
    expert, created = Expert.objects.select_for_update().get_or_create(
        call=call,
        user=user,
        defaults={"is_commission": is_commission, "is_chair": is_chair, "expertise": expertise},
    )
    if not created:
        changed = expert.status != ExpertStatus.ACTIVE or (
            is_commission and not expert.is_commission
        )
        expert.status = ExpertStatus.ACTIVE
        expert.withdrawn_at = None
        expert.is_commission = expert.is_commission or is_commission
        expert.is_chair = expert.is_chair or is_chair
        expert.save()
        if not changed:
            return expert
    audit_record(
        actor=actor,
        action="expert.added" if created else "expert.rejoined",
        subject=expert,
        data={
            "call": call.slug,
            "user": user.get_username(),
            "commission": expert.is_commission,
            "chair": expert.is_chair,
        },
    )
    return expert


# The name the demo and earlier code use.
expert_add = expert_seat


def _clean_bin(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = normalise_identifier(value)
        validate_bin(number)
    except IdentifierError as error:
        raise DomainError(
            _("The BIN is not valid: %(error)s") % {"error": error}, code="bin"
        ) from error
    return number


@transaction.atomic
def expert_profile_update(
    *,
    actor: Any,
    expert: Expert,
    tags: Iterable[ExpertiseTag],
    expertise: str,
    languages: Iterable[str],
    employer_bin: str,
    max_load: int | None,
) -> Expert:
    """The expert states their areas, their own words, review languages and maximum load.

    Every field is given each time (None for no maximum of their own): the form shows them all,
    so nothing is cleared by being left out of a call."""
    if expert.user_id != actor.pk:
        raise DomainError(_("Only the expert may change their profile."), code="forbidden")
    tag_list = list(tags)
    if any(tag.call_id != expert.call_id for tag in tag_list):
        raise DomainError(_("Choose areas of this call."), code="tags")
    chosen = [code for code in LANGUAGES if code in set(languages)]
    if not chosen:
        raise DomainError(_("Choose at least one language you can review in."), code="languages")
    if max_load is not None and max_load < 1:
        raise DomainError(_("The maximum load must be at least 1."), code="max_load")
    before = {
        "tags": sorted(expert.tags.values_list("pk", flat=True)),
        "expertise": expert.expertise,
        "languages": expert.languages,
        "employer_bin": expert.employer_bin,
        "max_load": expert.max_load,
    }
    expert.expertise = expertise.strip()
    expert.languages = chosen
    expert.employer_bin = _clean_bin(employer_bin)
    expert.max_load = max_load
    if expert.profile_done_at is None:
        expert.profile_done_at = clock.now()
    expert.save()
    expert.tags.set(tag_list)
    after = {
        "tags": sorted(t.pk for t in tag_list),
        "expertise": expert.expertise,
        "languages": expert.languages,
        "employer_bin": expert.employer_bin,
        "max_load": expert.max_load,
    }
    audit_record(
        actor=actor,
        action="expert.profile_changed",
        subject=expert,
        data={"old": before, "new": after},
    )
    return expert


@transaction.atomic
def expert_staff_update(
    *,
    actor: Any,
    expert: Expert,
    is_commission: bool,
    is_chair: bool,
    min_load: int | None,
    max_load: int | None,
) -> Expert:
    """The organiser seats an expert on the commission (or not) and overrides their loads."""
    check_role(actor, expert.call, PLAN_EDITORS)
    if is_chair and not is_commission:
        raise DomainError(_("The chair must be a member of the commission."), code="chair")
    if min_load is not None and max_load is not None and min_load > max_load:
        raise DomainError(_("The minimum load cannot be above the maximum."), code="loads")
    if is_chair:
        other = (
            Expert.objects.filter(call=expert.call, is_chair=True, status=ExpertStatus.ACTIVE)
            .exclude(pk=expert.pk)
            .first()
        )
        if other is not None:
            raise DomainError(
                _("%(person)s chairs the commission already.") % {"person": other.user},
                code="chair_taken",
            )
    fields = ("is_commission", "is_chair", "min_load", "max_load")
    before = {name: getattr(expert, name) for name in fields}
    expert.is_commission, expert.is_chair = is_commission, is_chair
    expert.min_load, expert.max_load = min_load, max_load
    after = {name: getattr(expert, name) for name in fields}
    if before != after:
        expert.save(update_fields=list(fields))
        audit_record(
            actor=actor,
            action="expert.seat_changed",
            subject=expert,
            data={"old": before, "new": after},
        )
    return expert


def commission_problems(call: Call, quorum: int | None) -> list[str]:
    """What is wrong with the commission as it stands, in words for the organiser."""
    members = list(Expert.objects.filter(call=call, is_commission=True, status=ExpertStatus.ACTIVE))
    problems = []
    size = len(members)
    if size and size % 2 == 0:
        problems.append(
            _(
                "The commission has %(n)s members: it needs an odd number, so that a vote "
                "cannot tie."
            )
            % {"n": size}
        )
    if size and not any(m.is_chair for m in members):
        problems.append(_("The commission has no chair."))
    if quorum is not None and quorum > size:
        problems.append(
            _("The quorum (%(q)s) is larger than the commission (%(n)s).")
            % {"q": quorum, "n": size}
        )
    return problems
