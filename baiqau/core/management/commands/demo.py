from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import translation

from baiqau.demo.loader import load_demo

DEMO_ADMIN = "admin@demo.baiqau.example"
DEMO_ORGANISER = "organiser@demo.baiqau.example"
DEMO_ADMIN_PASSWORD = "baiqau-demo"  # noqa: S105  # only created when DEBUG is on


class Command(BaseCommand):
    help = "Load the seed competition (idempotent: an existing demo is left as it is)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo(log=lambda line: self.stdout.write(f"  {line}"))
        if report.created:
            self.stdout.write(self.style.SUCCESS("Demo loaded."))
        else:
            self.stdout.write("Demo already loaded; nothing changed.")
        if settings.DEBUG:
            self._demo_admin()
        with translation.override("kk"):
            path = reverse("publishing:call_results", args=[report.call.slug])
        self.stdout.write(f"Results page: {path}")

    def _demo_admin(self) -> None:
        User = get_user_model()
        if not User.objects.filter(email=DEMO_ADMIN).exists():
            User.objects.create_superuser(DEMO_ADMIN, DEMO_ADMIN_PASSWORD, full_name="Demo admin")
        organiser = User.objects.filter(email=DEMO_ORGANISER).first()
        if organiser is not None and not organiser.has_usable_password():
            organiser.set_password(DEMO_ADMIN_PASSWORD)
            organiser.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=organiser, email=organiser.email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(f"Admin (DEBUG only): /admin/  {DEMO_ADMIN} / {DEMO_ADMIN_PASSWORD}")
        self.stdout.write(
            f"Organiser (DEBUG only): /kk/manage/  {DEMO_ORGANISER} / {DEMO_ADMIN_PASSWORD}"
        )
