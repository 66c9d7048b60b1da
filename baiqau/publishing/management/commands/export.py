from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baiqau.calls.models import Call
from baiqau.core.errors import DomainError
from baiqau.publishing.opendata import opendata_build
from baiqau.publishing.opendata_format import FILES, MANIFEST, sha256_hex


class Command(BaseCommand):
    help = (
        "Export data. `export opendata --call SLUG --out DIR` writes the open data of a call "
        "whose results are published: 360Giving grants (JSON, CSV), the anonymised scores, the "
        "rules, the results and a manifest of SHA-256 hashes. Check the folder with "
        "`baiqau verify DIR`, or without Django or a database with "
        "`python -m baiqau.publishing.verify DIR`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["opendata"], help="what to export")
        parser.add_argument("--call", required=True, metavar="SLUG", help="the call's slug")
        parser.add_argument("--out", required=True, metavar="DIR", help="the folder to write")

    def handle(self, *args: Any, **options: Any) -> None:
        call = Call.objects.filter(slug=options["call"]).first()
        if call is None:
            raise CommandError(f"There is no call {options['call']!r}.", returncode=1)
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a folder.", returncode=1)
        others = (
            sorted(p.name for p in out.iterdir() if p.name not in FILES) if out.exists() else []
        )
        if others:
            raise CommandError(
                f"{out} holds other files ({', '.join(others)}): choose an empty folder.",
                returncode=1,
            )
        try:
            files = opendata_build(call)
        except DomainError as error:
            raise CommandError(f"{call.slug}: {error}", returncode=1) from None
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.iterdir():  # an earlier export's file this one no longer has
            if stale.name not in files:
                stale.unlink()
        for name, data in files.items():
            (out / name).write_bytes(data)
            self.stdout.write(f"{name:<14} {len(data):>10} bytes  sha256 {sha256_hex(data)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Open data of {call.slug} written to {out}: {len(files)} files; "
                f"{MANIFEST} SHA-256 {sha256_hex(files[MANIFEST])}."
            )
        )
