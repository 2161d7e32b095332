"""Each role logs in through the browser and sees only its own: its menu, and the rows of the request list."""
import re

import pytest

from models import Department, District, Officer, RoleGrant, ServiceRequest, Service, database, scope
from tests.browser.browser_support import log_in, log_out, login_of, menu, screenshot

pytestmark = pytest.mark.browser

# What each role's menu offers (English), as the jurisdiction rules of models/scope.py decide.
ADMIN_HELPDESK = ["Help desk", "Inbox"]
MENUS = {
    "state_admin": ["Home", "Catalogue", "Services", "Departments", "Designations", "Districts", "Areas", "Holidays",
                    "Import and export", "People", "Officers", "Citizens", "Personal data", "Requests", "Audit log",
                    "Outbox", "Failed jobs", "Circulars", "My circulars", "Help desk", "Inbox", "Look up a citizen",
                    "Canned responses", "System mail", "Bounced addresses"],
    "department_admin": ["Home", "Catalogue", "Services", "Departments", "Designations", "Districts", "Areas",
                         "People", "Officers", "Citizens", "Requests", "Circulars", "My circulars", *ADMIN_HELPDESK],
    "district_admin": ["Home", "Catalogue", "Services", "Departments", "Designations", "Districts", "Areas", "Holidays",
                       "People", "Officers", "Citizens", "Requests", "Circulars", "My circulars", *ADMIN_HELPDESK],
    "area post": ["Home", "Requests", "My circulars"],
    "counter_operator": ["Home", "Catalogue", "Services", "Departments", "Districts", "Areas", "Requests",
                         "File a request", "My circulars"],
    "helpdesk_agent": ["Home", "Catalogue", "Services", "Departments", "Districts", "Areas", "Requests",
                       "My circulars", "Help desk", "Inbox", "Look up a citizen", "Canned responses", "System mail",
                       "Bounced addresses"],
}
LIST_COUNT = re.compile(r"\(([\d,]+)\)")
TRACKING = re.compile(r"HR-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def listed_requests(page):
    """(how many the list says it has, the requests on its first page)."""
    page.goto("/admin/request/?lang=en")
    said = LIST_COUNT.search(page.inner_text(".nav-tabs .nav-link.active"))  # "List (3,000)"; "List" when empty
    count = int(said.group(1).replace(",", "")) if said else 0
    numbers = set(TRACKING.findall(page.inner_text("table.model-list")))
    with database.connection_context():
        return count, list(ServiceRequest.select().where(ServiceRequest.tracking_number.in_(numbers)))


def own(officer_id, role):
    """The requests of the place or department his role grant names, counted straight from the table."""
    with database.connection_context():
        grant = RoleGrant.get(RoleGrant.officer == officer_id, RoleGrant.role == role)
        if role == "district_admin":
            return ServiceRequest.select().where(ServiceRequest.district == grant.district_id), (
                lambda r: r.district_id == grant.district_id)
        in_department = Service.select(Service.id).where(Service.department == grant.department_id)
        return ServiceRequest.select().where(ServiceRequest.service.in_(in_department)), (
            lambda r: r.service.department_id == grant.department_id)


def test_each_role_sees_only_its_menu_and_its_rows(demo_app, page):
    with database.connection_context():
        everyone = ServiceRequest.select().count()
    for kind, expected in MENUS.items():
        email = login_of(demo_app, kind)
        log_in(page, email)
        page.goto("/admin/?lang=en")
        assert menu(page) == expected, kind

        count, rows = listed_requests(page)
        screenshot(page, f"requests-{kind.replace(' ', '-').replace('_', '-')}", whole=False)
        with database.connection_context():
            officer = Officer.get(Officer.email == email)
            assert count == scope.rows(officer, ServiceRequest).count(), kind
            visible = {r.id for r in scope.rows(officer, ServiceRequest)}
        assert {r.id for r in rows} <= visible and (rows or count == 0), kind
        if kind == "state_admin":
            assert count == everyone
        elif kind in ("district_admin", "department_admin"):
            query, belongs = own(officer.id, kind)
            with database.connection_context():
                assert count == query.count() < everyone and all(belongs(r) for r in rows), kind
        else:
            assert count < everyone, kind
        log_out(page)
