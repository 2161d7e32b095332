import pytest
from peewee import IntegrityError

from models import Citizen, Department, DomainError, Service


def test_citizen_needs_a_mobile_or_an_email(db):
    with pytest.raises(IntegrityError):
        with db.atomic():
            Citizen.create(name="Nobody")
    assert Citizen.select().count() == 0


def test_citizen_contacts_are_unique_when_present(db):
    Citizen.create(mobile="9876543210")
    Citizen.create(email="a@example.in")
    Citizen.create(mobile="9999999999", email=None)
    with pytest.raises(IntegrityError):
        with db.atomic():
            Citizen.create(mobile="9876543210")


@pytest.fixture
def department(db):
    return Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")


@pytest.mark.parametrize("fields, code", [
    ({"tat_value": 7, "tat_unit": None}, "service_time_limit_incomplete"),
    ({"tat_value": -1, "tat_unit": "hours"}, "service_time_limit_not_positive"),
    # Far past any notified limit; a due date that far off overflowed the clock's date arithmetic.
    ({"tat_value": 10**9, "tat_unit": "working_days"}, "service_time_limit_too_long_working_days"),
    ({"tat_value": 721, "tat_unit": "hours"}, "service_time_limit_too_long_hours"),
    ({"tat_value": 3, "tat_unit": "weeks"}, "service_time_unit_unknown"),
    ({"status": "published"}, "service_published_without_time_limit"),
])
def test_service_validation_codes(department, fields, code):
    service = Service(code="X", name_en="X", name_hi="X", department=department, category="c", **fields)
    with pytest.raises(DomainError) as raised:
        service.validate()
    assert raised.value.code == code


def test_database_refuses_a_published_service_without_time_limit(department, db):
    with pytest.raises(IntegrityError):
        with db.atomic():
            Service.create(code="X", name_en="X", name_hi="X", department=department,
                           category="c", status="published")
    assert Service.select().count() == 0


def test_passwords_are_hashed_with_scrypt_outside_the_tests(monkeypatch):
    from models import people
    from tests.conftest import PRODUCTION_HASH_METHOD
    monkeypatch.setattr(people, "PASSWORD_HASH_METHOD", PRODUCTION_HASH_METHOD)
    officer = people.Officer(name="x", email="x@example.gov.in")
    officer.set_password("a long sentence nobody guesses")
    assert officer.password_hash.startswith("scrypt:")
    assert officer.check_password("a long sentence nobody guesses")
