"""A request a citizen submitted from the app (the GraphQL operations of graphql/operations/), worked in the
browser: the field officer raises a query, the citizen answers from the app, the officer approves and delivers
it with the issued document."""
import pytest

from models import Area, District, ServiceRequest, database
from tests.backoffice.api_support import citizen_token, ok, operation
from tests.browser.browser_support import log_in, log_out, press, screenshot
from tests.models.test_forms import PDF

pytestmark = pytest.mark.browser

SERVICE = "REV-VILLAGE-COPY-S"  # 2 working days, with the area's Patwari
MOBILE = "9812345678"


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


def version(number):
    with database.connection_context():
        return ServiceRequest.get(ServiceRequest.tracking_number == number).version


def test_a_field_officer_queries_approves_and_delivers_a_request_submitted_from_the_app(demo_app, page, tmp_path):
    with database.connection_context():
        area = Area.select().join(District).where(District.code == "AMB").order_by(Area.id).first()

    # The citizen logs in on his phone with the code the SMS brought, and applies.
    app = demo_app.test_client()
    token = citizen_token(app, MOBILE)
    filed = ok(app, operation("Submit"), token, input={"service": SERVICE, "district": "AMB", "area": area.code})
    number = filed["submitRequest"]["trackingNumber"]
    with database.connection_context():
        officer = ServiceRequest.get(ServiceRequest.tracking_number == number).assigned_officer
        assert officer.posts.get().designation.name == "Patwari"

    # The Patwari finds it in his list and asks the citizen a question.
    log_in(page, officer.email)
    open_request(page, number)
    take(page, "start")
    take(page, "raise_query", note="Which khewat number: 112 or 121?")
    assert status(number) == "query_raised"
    screenshot(page, "request-query-raised")

    # The citizen answers from the app.
    answered = ok(app, operation("AnswerQuery"), token, trackingNumber=number, version=version(number),
                  answer="Khewat 112.")
    assert answered["answerQuery"]["__typename"] == "Request", answered
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
