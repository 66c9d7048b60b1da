import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from baiqau.audit.chain import GENESIS_HASH
from baiqau.audit.models import AuditEvent, AuditLogIsAppendOnly
from baiqau.audit.services import AuditOutsideTransaction, audit_record, audit_verify
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _record(n, actor=None):
    subject = OrganisationFactory()
    return [
        audit_record(actor=actor, action="test.event", subject=subject, data={"i": i, "x": "ә"})
        for i in range(n)
    ]


def test_events_form_a_chain_from_the_genesis_hash(organiser):
    first, second, third = _record(3, actor=organiser)
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert first.actor_label == "organiser@test.example"
    assert len({first.hash, second.hash, third.hash}) == 3


def test_decimal_and_datetime_data_survive_the_round_trip():
    from datetime import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    audit_record(
        actor=None,
        action="test.values",
        data={
            "amount": Decimal("1.50"),
            "at": datetime(2026, 3, 1, tzinfo=ZoneInfo("Asia/Almaty")),
        },
    )
    stored = AuditEvent.objects.get()
    assert stored.data == {"amount": "1.50", "at": "2026-02-28T19:00:00.000000+00:00"}
    assert audit_verify().ok


def test_verify_passes_on_an_intact_chain():
    events = _record(5)
    report = audit_verify()
    assert report.ok
    assert report.checked == 5
    assert report.head_hash == events[-1].hash


def test_saving_an_existing_event_raises():
    event = _record(1)[0]
    event.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()


def test_deleting_an_event_raises():
    event = _record(1)[0]
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()


def test_queryset_update_and_delete_raise():
    _record(2)
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(seq=1).update(action="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def _alter_row_directly(seq, column, value):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE seq = %s", [value, seq])  # noqa: S608


def test_verify_names_the_event_whose_content_was_altered_in_the_database():
    _record(5)
    _alter_row_directly(3, "action", "test.forged")
    report = audit_verify()
    assert not report.ok
    assert report.broken_seq == 3
    assert report.checked == 2
    assert report.problem == "its content was altered"


def test_verify_finds_a_data_change_that_keeps_the_json_valid():
    _record(4)
    _alter_row_directly(2, "data", '{"i": 99, "x": "ә"}')
    assert audit_verify().broken_seq == 2


def test_verify_finds_a_removed_event():
    _record(4)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 2")  # noqa: S608
    report = audit_verify()
    assert report.broken_seq == 2
    assert report.problem == "event #2 is missing"


def test_verify_finds_a_rehashed_event_by_its_broken_link():
    events = _record(3)
    # A forger who recomputes the altered event's own hash still breaks the next link.
    _alter_row_directly(2, "hash", "f" * 64)
    report = audit_verify()
    assert report.broken_seq == 2
    assert events[2].prev_hash != "f" * 64


def test_audit_verify_command_succeeds_on_an_intact_chain(capsys):
    _record(3)
    call_command("audit", "verify")
    assert "Audit chain intact: 3 events" in capsys.readouterr().out


def test_audit_verify_command_fails_naming_the_event():
    _record(3)
    _alter_row_directly(2, "actor_label", "someone-else")
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    assert error.value.returncode == 1
    assert "event #2" in str(error.value)


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransaction):
        audit_record(actor=None, action="test.loose")
    with transaction.atomic():
        audit_record(actor=None, action="test.inside")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.inside"]
