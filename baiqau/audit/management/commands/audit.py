from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baiqau.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` walks the hash chain and names the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.broken_seq}: {report.problem} "
                f"({report.checked} events before it are intact).",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {report.checked} events, head {report.head_hash}."
            )
        )
