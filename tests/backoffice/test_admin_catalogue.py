"""Catalogue screens: create, edit and delete each kind, search, filters, export, service rules."""
import datetime

import pytest

from models import Area, Department, Designation, District, Officer, Service, database
from tests.rows import snapshot
from tests.backoffice.admin_support import (
    department, errors, filter_url, listed_codes, submit,
)
from tests.conftest import PASSWORD


def district_form():
    return District, {"code": "XYZ", "name_en": "Test district", "name_hi": "परीक्षण जिला",
                      "division": "Rohtak", "headquarters": "Test"}


def area_form():
    return Area, {"district": District.select().first().id, "code": "T1", "name_en": "Test tehsil",
                  "name_hi": "परीक्षण तहसील", "kind": "tehsil"}


def department_form():
    return Department, {"code": "TST", "name_en": "Testing", "name_hi": "परीक्षण", "kind": "board"}


def designation_form():
    return Designation, {"department": department("REV").id, "name": "Test Officer", "level": "district",
                         "note": ""}


def service_form():
    return Service, {"code": "TST-NEW", "name_en": "Test service", "name_hi": "परीक्षण सेवा",
                     "department": department("REV").id, "category": "certificates",
                     "tat_value": "7", "tat_unit": "working_days", "designated_officer": "__None",
                     "first_appellate": "__None", "second_appellate": "__None", "fee": "10",
                     "description_en": "", "description_hi": "", "eligibility_en": "", "eligibility_hi": "",
                     "note": "", "status": "published"}


def officer_form():
    return Officer, {"name": "New Officer", "email": "new.officer@example.gov.in", "mobile": "",
                     "department": "__None", "language": "hi", "active": "y", "password": PASSWORD}


FORMS = {
    "district": district_form, "area": area_form, "department": department_form,
    "designation": designation_form, "service": service_form, "officer": officer_form,
}


@pytest.mark.parametrize("endpoint", FORMS)
def test_create_edit_and_delete(admin_client, catalogue, endpoint):
    with database.connection_context():
        model, data = FORMS[endpoint]()
        count = model.select().count()
    label = "name" if "name" in data else "name_en"

    response = submit(admin_client, f"/admin/{endpoint}/new/", data)
    assert response.status_code == 200 and not errors(response), errors(response)
    with database.connection_context():
        row = model.select().order_by(model.id.desc()).first()
        assert model.select().count() == count + 1
        assert getattr(row, label) == data[label]

    edited = {**data, label: "Edited", "password": ""}
    response = submit(admin_client, f"/admin/{endpoint}/edit/?id={row.id}", edited)
    assert not errors(response), errors(response)
    with database.connection_context():
        assert getattr(model.get_by_id(row.id), label) == "Edited"

    response = submit(admin_client, f"/admin/{endpoint}/delete/", {"id": row.id}, form_url=f"/admin/{endpoint}/")
    assert not errors(response), errors(response)
    with database.connection_context():
        assert model.get_or_none(model.id == row.id) is None


@pytest.mark.parametrize("endpoint", FORMS)
def test_a_code_already_taken_is_refused(admin_client, catalogue, state_admin, endpoint):
    with database.connection_context():
        model, data = FORMS[endpoint]()
    submit(admin_client, f"/admin/{endpoint}/new/", data)
    with database.connection_context():
        before = snapshot()
    response = submit(admin_client, f"/admin/{endpoint}/new/", data)
    assert "is already used by another row" in errors(response)
    with database.connection_context():
        assert snapshot() == before


def test_publishing_without_a_time_limit_is_refused(admin_client, catalogue):
    with database.connection_context():
        _, data = service_form()
        service = Service.get(Service.code == "REV-INCOME-CERT")
        before = snapshot()
    response = submit(admin_client, f"/admin/service/edit/?id={service.id}",
                      {**data, "code": service.code, "tat_value": "", "tat_unit": "__None"})
    assert "REV-INCOME-CERT cannot be published without a notified time limit" in errors(response)
    response = submit(admin_client, "/admin/service/new/", {**data, "tat_value": "", "tat_unit": "__None"})
    assert "TST-NEW cannot be published without a notified time limit" in errors(response)
    with database.connection_context():
        assert snapshot() == before


@pytest.mark.parametrize("value, unit, message", [
    ("7", "__None", "give both a time limit and its unit"),
    ("0", "hours", "must be a positive number"),
])
def test_a_broken_time_limit_is_refused(admin_client, catalogue, value, unit, message):
    with database.connection_context():
        _, data = service_form()
    response = submit(admin_client, "/admin/service/new/", {**data, "tat_value": value, "tat_unit": unit})
    assert message in errors(response)
    with database.connection_context():
        assert Service.get_or_none(Service.code == "TST-NEW") is None


def test_saving_a_service_stamps_updated_at(admin_client, catalogue):
    long_ago = datetime.datetime(2020, 1, 1)
    with database.connection_context():
        _, data = service_form()
        service = Service.get(Service.code == "REV-FARD-COPY")
        Service.update(updated_at=long_ago).where(Service.id == service.id).execute()
    submit(admin_client, f"/admin/service/edit/?id={service.id}", {**data, "code": service.code})
    with database.connection_context():
        assert Service.get_by_id(service.id).updated_at > long_ago


def test_time_limit_shows_as_value_and_unit(admin_client, catalogue):
    page = admin_client.get("/admin/service/?search=REV-FARD-COPY").get_data(as_text=True)
    assert "1 working days" in page


def test_filter_by_department_lists_only_its_services(app, admin_client, catalogue):
    with database.connection_context():
        revenue = department("REV")
        expected = {s.code for s in Service.select().where(Service.department == revenue)}
    codes = listed_codes(admin_client.get(filter_url(app, "service", "Department", revenue.id) + "&page_size=100"))
    assert codes and set(codes) == expected


@pytest.mark.parametrize("name, value, code", [("Status", "draft", "REV-INCOME-CERT"),
                                               ("Category", "certificates", "REV-INCOME-CERT")])
def test_filter_by_status_and_category(app, admin_client, catalogue, name, value, code):
    with database.connection_context():
        field = Service.status if name == "Status" else Service.category
        expected = {s.code for s in Service.select().where(field == value)}
    codes = set(listed_codes(admin_client.get(filter_url(app, "service", name, value) + "&page_size=100")))
    assert code in codes and codes == expected


def test_filter_by_district_on_areas(app, admin_client, catalogue):
    with database.connection_context():
        one, other = District.select().limit(2)
        Area.create(district=one, code="A1", name_en="Alpha", name_hi="अल्फ़ा", kind="block")
        Area.create(district=other, code="B1", name_en="Beta", name_hi="बीटा", kind="block")
    assert listed_codes(admin_client.get(filter_url(app, "area", "District", one.id))) == ["A1"]


def test_search_by_hindi_name(admin_client, catalogue):
    assert listed_codes(admin_client.get("/admin/service/?search=आय प्रमाण")) == ["REV-INCOME-CERT"]
    assert "AMB" in listed_codes(admin_client.get("/admin/district/?search=अंबाला"))


def test_csv_export_has_hindi_names(admin_client, catalogue):
    response = admin_client.get("/admin/service/export/csv/")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert text.startswith("\ufeffCode,Name (English),Name (Hindi),Department")
    assert "आय प्रमाण पत्र" in text


def test_export_follows_the_filter(app, admin_client, catalogue):
    with database.connection_context():
        health = department("HLT")
    url = filter_url(app, "service", "Department", health.id).replace("/?", "/export/csv/?")
    lines = admin_client.get(url).get_data(as_text=True).splitlines()[1:]
    assert lines and all("Health" in line for line in lines)


def test_service_details_show_times_in_ist(admin_client, catalogue):
    with database.connection_context():
        service = Service.get(Service.code == "REV-FARD-COPY")
        Service.update(created_at=datetime.datetime(2026, 1, 1, 0, 0)).where(Service.id == service.id).execute()
    page = admin_client.get(f"/admin/service/details/?id={service.id}").get_data(as_text=True)
    assert "01-01-2026 05:30" in page


def test_a_mangled_id_reads_as_a_missing_row(admin_client, catalogue):
    response = admin_client.get("/admin/service/edit/?id=abc", follow_redirects=True)
    assert response.status_code == 200 and "Record does not exist" in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["%", "_", "\\", "%%", "^%", "=%", "a%e", "i_c"])
def test_search_wildcards_are_matched_as_typed(admin_client, catalogue, typed):
    # "%" listed every service: the word went into LIKE as it was.
    assert listed_codes(admin_client.get("/admin/service/", query_string={"search": typed})) == []


def test_a_percent_sign_in_a_name_is_found(admin_client, catalogue):
    with database.connection_context():
        Service.update(name_en="Pension at 100% of pay").where(Service.code == "REV-INCOME-CERT").execute()
    assert listed_codes(admin_client.get("/admin/service/", query_string={"search": "100%"})) == ["REV-INCOME-CERT"]
    assert listed_codes(admin_client.get("/admin/service/", query_string={"search": "^pension at 100%"})) == [
        "REV-INCOME-CERT"]
