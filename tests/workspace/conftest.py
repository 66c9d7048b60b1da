import pytest

from baiqau.applications.services import application_submit
from tests.factories import CallFactory, UserFactory, complete_draft, grant


@pytest.fixture
def no_mfa(settings):
    settings.BAIQAU_STAFF_REQUIRE_MFA = False


@pytest.fixture
def screening_call(db):
    return CallFactory(eligible_org_types=["ngo", "dpo"], max_per_project=2_000_000)


@pytest.fixture
def secretary(screening_call):
    return grant(screening_call, UserFactory(email="secretary@test.example"), "secretary")


@pytest.fixture
def submitted(screening_call, applicant):
    return application_submit(
        actor=applicant, application=complete_draft(screening_call, applicant)
    )
