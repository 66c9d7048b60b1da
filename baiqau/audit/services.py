from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from .chain import GENESIS_HASH, compute_hash, event_fields, normalise_data
from .models import AuditEvent

# Any constant works; it only has to be the same for every writer of the chain.
_ADVISORY_LOCK_KEY = 0x6261_6971_6175  # "baiqau"


class AuditOutsideTransaction(RuntimeError):
    pass


def _lock_chain_head() -> None:
    # Two writers must never read the same head and both append after it (a fork).
    # PostgreSQL: a transaction-scoped advisory lock. SQLite: the connection opens every
    # transaction IMMEDIATE (see settings), which already serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def audit_record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
    subject_type: str = "",
    subject_id: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            "audit_record() must run inside the transaction of the change it records."
        )
    _lock_chain_head()
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
    actor_id = actor.pk if actor is not None else None
    actor_label = actor.get_username() if actor is not None else "system"
    created_at = timezone.now()
    clean_data = normalise_data(data)
    fields = event_fields(
        seq=seq,
        created_at=created_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=clean_data,
        prev_hash=prev_hash,
    )
    return AuditEvent.objects.create(
        seq=seq,
        created_at=created_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=clean_data,
        prev_hash=prev_hash,
        hash=compute_hash(fields),
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def audit_verify() -> ChainReport:
    """Walk the whole chain in order and report the first event that does not hold."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(
                checked, expected_prev, expected_seq, f"event #{expected_seq} is missing"
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked, expected_prev, event.seq, "its previous hash does not match"
            )
        fields = event_fields(
            seq=event.seq,
            created_at=event.created_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            data=event.data,
            prev_hash=event.prev_hash,
        )
        if compute_hash(fields) != event.hash:
            return ChainReport(checked, expected_prev, event.seq, "its content was altered")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, expected_prev)


def audit_head_hash() -> str:
    head = AuditEvent.objects.order_by("-seq").values_list("hash", flat=True).first()
    return head or GENESIS_HASH
