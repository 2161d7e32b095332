"""Requests: read-only lists and details, found by tracking number or mobile, filtered and exported."""
import datetime
import re

import pytest

from models import District, Service, database
from tests.backoffice.admin_support import department, filter_url, make_request, submit
from tests.rows import snapshot

TRACKING = re.compile(r"HR-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def listed(response):
    return set(TRACKING.findall(response.get_data(as_text=True)))


@pytest.fixture
def requests(catalogue):
    """One revenue request in the first district and one health request in the second."""
    with database.connection_context():
        first, second = District.select().order_by(District.id).limit(2)
        revenue = Service.get(Service.department == department("REV"))
        health = Service.get(Service.department == department("HLT"))
        return (
            make_request(revenue, first, number="HR-2026-ABCD-EFG0", mobile="9876500001",
                         submitted_at=datetime.datetime(2026, 1, 1, 0, 0)),
            make_request(health, second, number="HR-2026-WXYZ-1234", mobile="9123400002", status="approved"),
        )


@pytest.mark.parametrize("typed", ["hr-2026-abcd-efgo", "HR 2026 ABCD EFG0", "HR2026ABCDEFGO", "9876500001"])
def test_search_finds_the_request(admin_client, requests, typed):
    assert listed(admin_client.get("/admin/request/", query_string={"search": typed})) == {"HR-2026-ABCD-EFG0"}


@pytest.mark.parametrize("name, value, expected", [
    ("Department", lambda: department("HLT").id, "HR-2026-WXYZ-1234"),
    ("Status", lambda: "approved", "HR-2026-WXYZ-1234"),
    ("District", lambda: District.select().order_by(District.id).first().id, "HR-2026-ABCD-EFG0"),
])
def test_filters(app, admin_client, requests, name, value, expected):
    with database.connection_context():
        url = filter_url(app, "request", name, value())
    assert listed(admin_client.get(url)) == {expected}


def test_filters_and_search_combine(app, admin_client, requests):
    with database.connection_context():
        url = filter_url(app, "request", "Department", department("REV").id)
    assert listed(admin_client.get(url + "&search=9123400002")) == set()
    assert listed(admin_client.get(url + "&search=9876500001")) == {"HR-2026-ABCD-EFG0"}


def test_details_show_times_in_ist(admin_client, requests):
    page = admin_client.get(f"/admin/request/details/?id={requests[0].id}").get_data(as_text=True)
    assert "HR-2026-ABCD-EFG0" in page and "01-01-2026 05:30" in page


def test_csv_export(admin_client, requests):
    text = admin_client.get("/admin/request/export/csv/").get_data(as_text=True)
    # A byte-order mark first, so that a spreadsheet reads the Hindi as UTF-8.
    assert text.startswith("\ufeffTracking number,Service,Citizen,District,Status,Submitted (IST)")
    assert "HR-2026-ABCD-EFG0" in text and "01-01-2026 05:30" in text and "Approved" in text


def test_requests_cannot_be_created_or_edited(admin_client, requests):
    with database.connection_context():
        before = snapshot()
    assert admin_client.get("/admin/request/new/").status_code == 302
    assert admin_client.get(f"/admin/request/edit/?id={requests[0].id}").status_code == 302
    submit(admin_client, f"/admin/request/edit/?id={requests[0].id}", {"status": "rejected"},
           form_url="/admin/request/")
    submit(admin_client, "/admin/request/new/", {"tracking_number": "HR-2026-0000-0000"}, form_url="/admin/request/")
    with database.connection_context():
        assert snapshot() == before
