from typing import Any

from django.core.management.base import BaseCommand

from baiqau.monitoring.reminders import remind_reports
from baiqau.notifications.reminders import deadline_reminders_send
from baiqau.notifications.services import retry_due_deliveries
from baiqau.review.reminders import review_reminders_due


class Command(BaseCommand):
    help = (
        "Send the due deadline reminders (7 days, 1 day and 3 hours before a call closes, to the "
        "members of organisations with an unsubmitted draft) and the review reminders (to "
        "experts with reviews left, the number of days before the review ends that the call's "
        "review plan sets), the report reminders (to the members of funded organisations, the days "
        "before a report is due that the call sets) and overdue reports (to the organisers), "
        "then queue the e-mails whose retry is due. Idempotent: each "
        "reminder is sent once. `baiqau worker` runs it every 10 minutes; without the worker, "
        "run it from cron: */10 * * * * /path/.venv/bin/baiqau remind"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = deadline_reminders_send()
        reviews = review_reminders_due()
        reports = remind_reports()
        retried = retry_due_deliveries()
        sent = ", ".join(f"{key}: {n}" for key, n in summary.sent.items())
        self.stdout.write(
            f"Deadline reminders sent: {summary.total} ({sent}); already sent before: "
            f"{summary.already_sent}; drafts of calls closing within 7 days: {summary.drafts}."
        )
        self.stdout.write(
            f"Review reminders sent: {reviews.sent}; already sent before: "
            f"{reviews.already_sent}; calls whose review ends soon: {reviews.calls}."
        )
        self.stdout.write(f"Report reminders and overdue flags sent: {reports}.")
        self.stdout.write(f"E-mails queued for another attempt: {retried}.")
