from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from baiqau.core.states import render_states


class Command(BaseCommand):
    help = "Write docs/states.md from the state tables (or print it with --stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stdout", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_states()
        if options["stdout"]:
            self.stdout.write(text, ending="")
            return
        path = Path(settings.BASE_DIR) / "docs" / "states.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
