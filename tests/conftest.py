import os
import shutil

import pytest

# Playwright runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or chromium_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}: install Debian's chromium."
        )
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH or install it)")
    for item in browser_items:
        item.add_marker(skip)


def pytest_report_header(config):
    if not chromium_available():
        return f"browser tests: SKIPPED, no Chromium at {CHROMIUM}"
    return f"browser tests: Chromium at {CHROMIUM}"


@pytest.fixture
def organiser(db):
    from tests.factories import UserFactory

    return UserFactory(email="organiser@test.example", full_name="Organiser")


@pytest.fixture
def applicant(db):
    from tests.factories import UserFactory

    return UserFactory(email="applicant@test.example", full_name="Applicant")


@pytest.fixture
def other_applicant(db):
    from tests.factories import UserFactory

    return UserFactory(email="other@test.example", full_name="Other applicant")


@pytest.fixture
def expert(db):
    from tests.factories import UserFactory

    return UserFactory(email="expert@test.example", full_name="Expert")


@pytest.fixture
def staff_admin(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin@test.example", "pw-admin-123")


@pytest.fixture
def demo(db):
    """The seed contest and the open call; tests of the demo's call in review load it
    themselves (tests/test_demo_jury.py), since it costs a few seconds."""
    from baiqau.demo.loader import load_demo

    return load_demo(log=lambda _line: None, jury=False)


@pytest.fixture
def demo_decided(db):
    """The seed contest decided and published, before any agreement is made."""
    from baiqau.demo.loader import load_demo

    return load_demo(log=lambda _line: None, jury=False, monitoring=False)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Service messages are asserted in the source language unless a test overrides it;
    resetting it after each test stops one test's language leaking into the next."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
