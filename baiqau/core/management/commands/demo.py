from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import translation

from baiqau.demo.loader import load_demo

DEMO_ADMIN = "admin@demo.baiqau.example"
DEMO_ORGANISER = "organiser@demo.baiqau.example"
# An expert of the call in review, with reviews left to do; English is their language.
DEMO_EXPERT = "expert@demo.baiqau.example"
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
        # The same password for every demo account: hashed once, as PBKDF2 takes most of a
        # second each time.
        hashed = ""
        if not User.objects.filter(email=DEMO_ADMIN).exists():
            hashed = make_password(DEMO_ADMIN_PASSWORD)
            admin = User.objects.create_superuser(DEMO_ADMIN, None, full_name="Demo admin")
            admin.password = hashed
            admin.save(update_fields=["password"])
        for user in User.objects.filter(email__in=[DEMO_ORGANISER, DEMO_EXPERT]):
            if user.has_usable_password():
                continue
            user.password = hashed = hashed or make_password(DEMO_ADMIN_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(f"Admin (DEBUG only): /admin/  {DEMO_ADMIN} / {DEMO_ADMIN_PASSWORD}")
        self.stdout.write(
            f"Organiser (DEBUG only): /kk/manage/  {DEMO_ORGANISER} / {DEMO_ADMIN_PASSWORD}"
        )
        self.stdout.write(
            f"Expert (DEBUG only): /en/expert/  {DEMO_EXPERT} / {DEMO_ADMIN_PASSWORD}"
        )
