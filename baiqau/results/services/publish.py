from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baiqau.applications.models import Application, ApplicationStatus
from baiqau.applications.services import application_transition
from baiqau.audit.services import audit_record
from baiqau.calls.models import AwardScheme, Call, CallStatus
from baiqau.calls.services import call_transition
from baiqau.core import clock
from baiqau.core.errors import DomainError

from ..announcement import announcement_get_or_generate
from ..letters import letters_enqueue
from ..models import Ranking


@transaction.atomic
def results_publish(*, actor: Any, call: Call) -> Call:
    """Publish the current ranking: the call is decided and every application learns its outcome."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.results_published_at is not None:
        raise DomainError(_("The results are already published."), code="published")
    ranking = Ranking.objects.filter(call=call, is_current=True).first()
    if ranking is None:
        raise DomainError(_("Compute the ranking before publishing results."), code="no_ranking")
    unresolved = ranking.entries.filter(tied=True, position__lte=call.prizes.count()).exists()
    if call.award_scheme == AwardScheme.PRIZES and unresolved:
        raise DomainError(
            _("A tie among the prize places must be resolved before results are published."),
            code="unresolved_tie",
        )
    if ranking.confirmed_at is None:
        raise DomainError(
            _("The commission must confirm the ranking by vote before results are published."),
            code="unconfirmed",
        )
    awarded = set(ranking.awards.values_list("application_id", flat=True))
    ranked = Application.objects.filter(pk__in=ranking.entries.values("application_id"))
    for application in ranked:
        if application.status == ApplicationStatus.IN_REVIEW:
            application = application_transition(
                actor=actor, application=application, to=ApplicationStatus.RANKED
            )
        if application.status == ApplicationStatus.RANKED:
            outcome = (
                ApplicationStatus.AWARDED
                if application.pk in awarded
                else ApplicationStatus.NOT_AWARDED
            )
            application_transition(actor=actor, application=application, to=outcome)
    if call.status == CallStatus.IN_REVIEW:
        call = call_transition(actor=actor, call=call, to=CallStatus.DECIDED)
    # The announcement is written from the data now unless someone already edited it; from
    # publication on it stays as published.
    announcement_get_or_generate(call)
    call.results_published_at = clock.now()
    call.save(update_fields=["results_published_at"])
    audit_record(
        actor=actor,
        action="results.published",
        subject=call,
        data={"ranking": ranking.pk, "awards": sorted(awarded)},
    )
    transaction.on_commit(lambda: letters_enqueue(call.pk))
    return call


@transaction.atomic
def results_reopen(*, actor: Any, call: Call, reason: str) -> Call:
    """Withdraw published results and reopen the review (a correction: the reason is required)."""
    if not reason.strip():
        raise DomainError(_("Please give the reason for reopening the results."), code="reason")
    from baiqau.monitoring.models import Agreement, AgreementStatus  # monitoring builds on results

    if Agreement.objects.filter(call=call).exclude(status=AgreementStatus.DRAFT).exists():
        raise DomainError(
            _(
                "Agreements have been offered on these results: withdraw the offers before "
                "reopening the results."
            ),
            code="agreements",
        )
    call = call_transition(actor=actor, call=call, to=CallStatus.IN_REVIEW, reason=reason)
    back: dict[str, str] = {
        ApplicationStatus.AWARDED: ApplicationStatus.RANKED,
        ApplicationStatus.NOT_AWARDED: ApplicationStatus.RANKED,
    }
    for application in Application.objects.filter(call=call, status__in=list(back)):
        application = application_transition(
            actor=actor, application=application, to=back[application.status], reason=reason
        )
        application_transition(
            actor=actor, application=application, to=ApplicationStatus.IN_REVIEW, reason=reason
        )
    call.results_published_at = None
    call.save(update_fields=["results_published_at"])
    audit_record(actor=actor, action="results.withdrawn", subject=call, data={"reason": reason})
    return call
