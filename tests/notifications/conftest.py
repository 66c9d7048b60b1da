import pytest

from tests.factories import CallFactory, UserFactory, grant


@pytest.fixture
def no_mfa(settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


@pytest.fixture
def call(db):
    return CallFactory(eligible_org_types=["ngo", "dpo"], max_per_project=2_000_000)


@pytest.fixture
def call_organiser(call, organiser):
    return grant(call, organiser, "organiser")


@pytest.fixture
def secretary(call):
    return grant(
        call, UserFactory(email="secretary@test.example", full_name="Secretary"), "secretary"
    )


@pytest.fixture
def notification_urls(settings):
    """The notification pages' URLs, whether or not the project's urls.py has them yet."""
    settings.ROOT_URLCONF = "tests.notifications.urls"
