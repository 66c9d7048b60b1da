import threading

import pytest
from django.db import close_old_connections, connection, transaction

from baiqau.audit.models import AuditEvent
from baiqau.audit.services import audit_record, audit_verify

WRITERS = 8
EVENTS_EACH = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers with its database lock")
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", data={"w": n, "i": i})
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EVENTS_EACH + 1))
    report = audit_verify()
    assert report.ok
    assert report.checked == WRITERS * EVENTS_EACH
