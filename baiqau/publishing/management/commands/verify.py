from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baiqau.publishing.verify import verify_folder


class Command(BaseCommand):
    help = (
        "Check an open-data folder written by `baiqau export opendata`: the SHA-256 of every "
        "file, the 360Giving schema, and the ranking, tie-breaks, draw and awards recomputed "
        "from the published scores and rules; exits non-zero naming the first difference. "
        "It needs no database: `python -m baiqau.publishing.verify DIR` does the same "
        "without Django."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", help="the unpacked open-data folder")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_folder(options["folder"])
        for check in report.checks:
            self.stdout.write(str(check))
        if not report.ok:
            raise CommandError(report.summary(), returncode=1)
        self.stdout.write(self.style.SUCCESS(report.summary()))
