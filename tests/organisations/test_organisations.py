import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from baiqau.audit.models import AuditEvent
from baiqau.core.errors import DomainError
from baiqau.organisations.models import Membership, MembershipRole, Organisation
from baiqau.organisations.services import organisation_register
from tests.factories import next_bin

pytestmark = pytest.mark.django_db

NAME = {"kk": "Сынақ ұйымы", "ru": "Тестовая организация", "en": "Test organisation"}


def test_register_makes_the_person_owner_and_is_audited(applicant):
    bin_ = next_bin()
    organisation = organisation_register(actor=applicant, bin=bin_, org_type="dpo", name=NAME)
    assert organisation.bin == bin_
    assert organisation.identifier == f"KZ-BIN-{bin_}"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (applicant, MembershipRole.OWNER)
    event = AuditEvent.objects.get(action="organisation.registered")
    assert event.subject_id == str(organisation.pk)
    assert event.data["bin"] == bin_


def test_bin_with_spaces_is_normalised(applicant):
    bin_ = next_bin()
    spaced = f"{bin_[:4]} {bin_[4:8]} {bin_[8:]}"
    organisation = organisation_register(actor=applicant, bin=spaced, org_type="ngo", name=NAME)
    assert organisation.bin == bin_


@pytest.mark.parametrize(
    ("bin_", "message"),
    [
        ("12345", "A BIN has exactly 12 digits."),
        ("12345678901a", "A BIN has only digits."),
        ("101340000011", "Digits 3 and 4 of a BIN are the month of registration (01–12)."),
    ],
)
def test_invalid_bin_is_refused_with_a_clear_message(applicant, bin_, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            organisation_register(actor=applicant, bin=bin_, org_type="ngo", name=NAME)
        assert error.value.message_dict["bin"] == [message]
    assert Organisation.objects.count() == 0


def test_wrong_check_digit_is_refused(applicant):
    good = next_bin()
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            organisation_register(actor=applicant, bin=bad, org_type="ngo", name=NAME)
        assert error.value.message_dict["bin"] == [
            "This BIN's check digit does not match: please check the number for a typing error."
        ]


def test_one_bin_one_organisation(applicant, other_applicant):
    bin_ = next_bin()
    organisation_register(actor=applicant, bin=bin_, org_type="ngo", name=NAME)
    with pytest.raises(DomainError) as error:
        organisation_register(actor=other_applicant, bin=bin_, org_type="ngo", name=NAME)
    assert error.value.code == "bin_taken"
    assert Organisation.objects.count() == 1


def test_organisation_needs_a_name_in_some_language(applicant):
    with pytest.raises(ValidationError):
        organisation_register(actor=applicant, bin=next_bin(), org_type="ngo", name={"kk": ""})


def test_bin_error_is_given_in_the_persons_language(applicant):
    with translation.override("kk"):
        with pytest.raises(ValidationError) as error:
            organisation_register(actor=applicant, bin="12345", org_type="ngo", name=NAME)
        assert error.value.message_dict["bin"] == ["БСН дәл 12 цифрдан тұрады."]
