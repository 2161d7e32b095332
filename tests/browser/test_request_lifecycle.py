"""A request filed at the counter, worked in the browser: the field officer raises a query, the counter records
the citizen's answer, the officer approves and delivers it with the issued document."""
import pytest

from models import Area, District, Officer, Service, ServiceRequest, database
from tests.backoffice.requests_support import TRACKING
from tests.browser.browser_support import log_in, log_out, press, screenshot
from tests.models.test_forms import PDF

pytestmark = pytest.mark.browser

SERVICE = "REV-VILLAGE-COPY-S"  # 2 working days, with the area's Patwari
COUNTER = "counter.amb@demo.jansahayak.invalid"


def take(page, step, note=None, document=None):
    """Take a step from the request's details page, as its form offers it."""
    form = page.locator(f"form:has(input[name=step][value={step}])")
    if note:
        form.locator("textarea[name=note]").fill(note)
    if document:
        form.locator("input[type=file]").set_input_files(document)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def open_request(page, number):
    page.goto(f"/admin/request/?search={number}&lang=en")
    press(page, "table.model-list a[title='View Record']")


def status(number):
    with database.connection_context():
        return ServiceRequest.get(ServiceRequest.tracking_number == number).status


def test_a_field_officer_queries_approves_and_delivers_a_request_filed_at_the_counter(demo_app, page, tmp_path):
    with database.connection_context():
        amb = District.get(District.code == "AMB")
        area = Area.select().where(Area.district == amb).order_by(Area.id).first()
        service = Service.get(Service.code == SERVICE)

    # The counter files a walk-in citizen's request.
    log_in(page, COUNTER)
    page.goto("/admin/counter/?lang=en")
    page.fill("#mobile", "98123 45678")
    page.fill("#name", "Asha Devi")
    page.select_option("#service", str(service.id))
    page.select_option("#district", str(amb.id))
    page.select_option("#area", str(area.id))
    page.fill("#details", "Copy of the jamabandi of khewat 112.")
    press(page, "button:text('File the request')")
    [number] = TRACKING.findall(page.inner_text(".alert"))
    with database.connection_context():
        officer = ServiceRequest.get(ServiceRequest.tracking_number == number).assigned_officer
        assert officer.posts.get().designation.name == "Patwari"

    # The Patwari finds it in his list and asks the citizen a question.
    log_out(page)
    log_in(page, officer.email)
    open_request(page, number)
    take(page, "start")
    take(page, "raise_query", note="Which khewat number: 112 or 121?")
    assert status(number) == "query_raised"
    screenshot(page, "request-query-raised")

    # The citizen answers at the counter.
    log_out(page)
    log_in(page, COUNTER)
    open_request(page, number)
    take(page, "answer_query", note="Khewat 112.")
    assert status(number) == "citizen_responded"

    # The Patwari approves, then delivers the copy.
    log_out(page)
    log_in(page, officer.email)
    open_request(page, number)
    take(page, "approve")
    assert status(number) == "approved"
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(PDF)
    take(page, "deliver", document=copy)
    assert status(number) == "delivered"
    assert page.locator("input[name=step]").count() == 0  # nothing more to do
    screenshot(page, "request-delivered")
