import re

import pytest
from peewee import IntegrityError

from models import Citizen, Department, District, Service, ServiceRequest, tracking

FORMAT = re.compile(r"^HR-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_generated_numbers_have_the_format_and_no_ambiguous_letters():
    numbers = {tracking.generate(2026) for _ in range(5000)}
    assert len(numbers) == 5000
    for number in numbers:
        assert FORMAT.match(number), number
        assert not set(number[8:]) & set("ILOU")


@pytest.mark.parametrize("typed", [
    "HR-2026-AB1O-0LIZ",
    "hr-2026-ab1o-0liz",
    "HR 2026 AB10 01IZ",
    "hr2026ab1o0liz",
    " HR-2026-ab10-011z ",
])
def test_read_back_with_crockford_substitutions(typed):
    assert tracking.normalize(typed) == "HR-2026-AB10-011Z"


@pytest.mark.parametrize("typed", [
    "", None, "HR-2026-AB10", "HR-26-AB10-011Z", "XX-2026-AB10-011Z",
    "HR-2026-AB10-011U",  # U is not in Crockford's alphabet
    "HR-2026-AB10-011Z-9",
])
def test_malformed_numbers_read_as_none(typed):
    assert tracking.normalize(typed) is None


@pytest.fixture
def request_fields(db):
    district = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    department = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    service = Service.create(code="REV-SC-CERT", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                             department=department, category="certificates", tat_value=7,
                             tat_unit="working_days", status="published")
    citizen = Citizen.create(name="Asha", mobile="9876543210")
    return {"citizen": citizen, "service": service, "district": district}


def test_request_gets_a_unique_number_that_reads_back(request_fields):
    created = ServiceRequest.create_with_tracking_number(**request_fields)
    assert FORMAT.match(created.tracking_number)
    prefix, body = created.tracking_number[:8], created.tracking_number[8:]
    spoken = prefix.lower() + body.lower().replace("0", "o").replace("1", "l").replace("-", " ")
    assert ServiceRequest.find_by_tracking_number(spoken).id == created.id
    assert ServiceRequest.find_by_tracking_number("HR-1999-0000-0000") is None


def test_a_colliding_number_is_drawn_again(request_fields, monkeypatch):
    first = ServiceRequest.create_with_tracking_number(**request_fields)
    draws = iter([first.tracking_number, "HR-2026-7777-7777"])
    monkeypatch.setattr(tracking, "generate", lambda year: next(draws))
    second = ServiceRequest.create_with_tracking_number(**request_fields)
    assert second.tracking_number == "HR-2026-7777-7777"
    assert ServiceRequest.select().count() == 2


def test_other_integrity_errors_are_not_retried(request_fields):
    request_fields["citizen"] = Citizen(id=999999)
    with pytest.raises(IntegrityError):
        ServiceRequest.create_with_tracking_number(**request_fields)
    assert ServiceRequest.select().count() == 0


def test_database_refuses_a_duplicate_number(request_fields):
    first = ServiceRequest.create_with_tracking_number(**request_fields)
    with pytest.raises(IntegrityError):
        with ServiceRequest._meta.database.atomic():
            ServiceRequest.create(tracking_number=first.tracking_number, **request_fields)
