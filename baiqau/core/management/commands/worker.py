"""`baiqau worker`: the one background process of a production installation."""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

REMIND_EVERY = 600  # seconds


class Command(BaseCommand):
    help = (
        "Work the background task queue (TASK_BACKEND=database): e-mails, announcements, "
        "exports. It runs django-tasks' `db_worker` in batches; between batches, every 10 "
        "minutes, it runs `baiqau remind` (deadline and review reminders, e-mail retries) in the same "
        "process. Run one `baiqau worker` under systemd or a container supervisor. Without the "
        "database backend (the default `immediate` one) there is no queue, and the worker only "
        "runs the reminders. To run the reminders from cron instead, use --no-remind and: "
        "*/10 * * * * /path/.venv/bin/baiqau remind"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when the queue is empty (default: 1)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=100,
            help="tasks to run before looking at the clock for the reminders (default: 100)",
        )
        parser.add_argument("--no-remind", action="store_true", help="leave the reminders to cron")
        parser.add_argument(
            "--once",
            action="store_true",
            help="work the queue until it is empty, send the reminders, and exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queue = isinstance(task_backends["default"], DatabaseBackend)
        remind = not options["no_remind"]
        if not queue:
            self.stdout.write(
                "TASK_BACKEND is not `database`: tasks run at once in the web process, so this "
                "worker only sends the reminders."
            )
            if not remind:
                return
        next_remind = time.monotonic()
        # db_worker installs its SIGINT/SIGTERM handlers: a signal lets a running task finish, and
        # one that arrives between batches (while reminding or sleeping) ends the process at once.
        while True:
            if queue:
                # --batch returns when the queue is empty (or after --max-tasks), which gives the
                # reminders their turn; a long queue is worked in several batches.
                call_command(
                    "db_worker",
                    batch=True,
                    max_tasks=None if options["once"] else options["batch_size"],
                    reload=False,
                    startup_delay=False,
                    interval=0,
                    verbosity=options["verbosity"],
                )
            if remind and time.monotonic() >= next_remind:
                call_command("remind", stdout=self.stdout)
                next_remind = time.monotonic() + REMIND_EVERY
            if options["once"]:
                return
            time.sleep(options["interval"])
