"""The requests list at a state's size (backoffice/admin/listing.py): the same SQL for a page of 1 or 25
requests, a count that stops at COUNT_CAP and says so, deep pages in order, searches by whole values."""
import datetime
import re

import pytest

from backoffice.admin import listing
from models import District, Officer, Service, ServiceRequest, database
from tests.backoffice.admin_support import filter_url, make_request
from tests.conftest import login, make_officer

TRACKING = re.compile(r"HR-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
START = datetime.datetime(2026, 1, 1, 4, 0)


def listed(response):
    """The tracking numbers on a list page, in the order shown."""
    assert response.status_code == 200
    return list(dict.fromkeys(TRACKING.findall(response.get_data(as_text=True))))


def number(index):
    return f"HR-2026-AAAA-{index:04d}"


def make(count, first=0):
    """`count` requests, each with its own citizen and officer and, in turn, service and district;
    the higher the index, the later it was submitted."""
    with database.connection_context():
        services = list(Service.select().order_by(Service.id))
        districts = list(District.select().order_by(District.id))
        for index in range(first, first + count):
            officer = Officer.create(name=f"Officer {index}", email=f"officer{index}@haryana.gov.in")
            make_request(services[index % len(services)], districts[index % len(districts)], officer,
                         number=number(index), mobile=f"98765{index:05d}",
                         submitted_at=START + datetime.timedelta(hours=index))


class Statements:
    def __init__(self):
        self.sql = []

    def __call__(self, event):
        self.sql.append(event.sql)


def statements(client, url):
    """The SQL statements one GET of `url` ran."""
    counter = Statements()
    database.obj.query_hooks.append(counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        database.obj.query_hooks.remove(counter)
    return counter.sql


@pytest.fixture
def district_client(app, catalogue):
    with database.connection_context():
        district = District.select().order_by(District.id).first()
    make_officer("district@haryana.gov.in", "district_admin", district=district)
    client = app.test_client()
    login(client, "district@haryana.gov.in")
    return client


@pytest.mark.parametrize("who", ["state", "district"])
def test_a_page_costs_the_same_statements_for_one_request_and_for_twenty_five(
        app, catalogue, admin_client, district_client, who):
    client = admin_client if who == "state" else district_client
    with database.connection_context():
        first = District.select().order_by(District.id).first()
    make(1)
    client.get("/admin/request/")  # what a first visit reads once (its jurisdiction, the filters' choices)
    one = statements(client, "/admin/request/")
    assert len(listed(client.get("/admin/request/"))) == 1

    make(24 * District.select().count(), first=1)  # 24 more in every district: a full page for the district's
    many = statements(client, "/admin/request/")
    with database.connection_context():
        shown = ServiceRequest.select().where(ServiceRequest.district == first).count() if who == "district" else 25
    assert len(listed(client.get("/admin/request/"))) == min(shown, 25) == 25
    assert len(many) == len(one), "\n".join(many)


def test_the_details_page_costs_the_same_statements_whoever_it_names(app, catalogue, admin_client):
    make(2)
    with database.connection_context():
        ids = [r.id for r in ServiceRequest.select().order_by(ServiceRequest.id)]
    admin_client.get(f"/admin/request/details/?id={ids[0]}")
    assert len(statements(admin_client, f"/admin/request/details/?id={ids[0]}")) == len(
        statements(admin_client, f"/admin/request/details/?id={ids[1]}"))


def test_the_count_stops_at_the_cap_and_the_page_says_more_than(app, catalogue, admin_client, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 10)
    make(60)

    page = admin_client.get("/admin/request/").get_data(as_text=True)
    # Page 1 reads up to its next page's end, 50 rows: there are more.
    assert "More than 50 rows: narrow the list with a filter or a search." in page
    assert "List (" not in page
    counts = [sql for sql in statements(admin_client, "/admin/request/") if "COUNT(" in sql.upper()]
    assert len(counts) == 1 and "LIMIT" in counts[0].upper() and "JOIN" not in counts[0].upper()

    # Page 2 counts up to 75: all 60, exactly, with the pager to its last page.
    page = admin_client.get("/admin/request/?page=1").get_data(as_text=True)
    assert "List (60)" in page and "More than" not in page
    assert "/admin/request/?page=2" in page

    hindi = admin_client.get("/admin/request/?lang=hi")
    assert hindi.status_code == 200
    assert "50 से अधिक रिकॉर्ड हैं" in hindi.get_data(as_text=True)


def test_deep_pages_keep_the_lists_order(app, catalogue, admin_client):
    make(60)
    newest_first = [number(i) for i in range(59, -1, -1)]
    assert listed(admin_client.get("/admin/request/")) == newest_first[:25]
    assert listed(admin_client.get("/admin/request/?page=2")) == newest_first[50:]
    with database.connection_context():
        url = filter_url(app, "request", "Status", "submitted")
    assert listed(admin_client.get(url + "&page=1")) == newest_first[25:50]


def test_search_matches_whole_numbers_through_the_requests_own_columns(app, catalogue, admin_client):
    make(3)
    assert listed(admin_client.get("/admin/request/", query_string={"search": number(1)})) == [number(1)]
    assert listed(admin_client.get("/admin/request/", query_string={"search": "9876500002"})) == [number(2)]
    # A part of a number would have to read every request: it finds nothing.
    assert listed(admin_client.get("/admin/request/", query_string={"search": number(1)[:-2]})) == []
    sql = [s for s in statements(admin_client, "/admin/request/?search=9876500002") if '"service_request"' in s]
    assert sql and not any(" LIKE " in s.upper() for s in sql)
