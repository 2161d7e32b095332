"""The counter: filing for a walk-in citizen found or added by mobile number, and the counter's steps by tracking number."""
import pytest

from backoffice import workflow
from models import Citizen, Outbox, RoleGrant, Service, ServiceRequest, database
from tests.backoffice.admin_support import errors
from tests.backoffice.scope_support import listed_ids
from tests.backoffice.requests_support import (  # noqa: F401 (w is a fixture)
    details, file_at_counter, fresh, login_as, offered, state, take, text, w,
)


def test_only_counter_operators_have_the_counter(app, w):
    for officer in (w.field, w.amb_admin, w.state):
        client = login_as(app, officer)
        assert client.get("/admin/counter/").status_code == 403
        assert 'href="/admin/counter/"' not in client.get("/admin/").get_data(as_text=True)
    counter = login_as(app, w.counter)
    assert 'href="/admin/counter/"' in counter.get("/admin/").get_data(as_text=True)
    page = counter.get("/admin/counter/").get_data(as_text=True)
    # His one district is chosen for him.
    assert f'<option selected value="{w.amb.id}">' in page


def test_a_new_mobile_number_adds_the_citizen_and_a_known_one_finds_him(app, w):
    counter = login_as(app, w.counter)
    page = file_at_counter(counter, w, mobile="+91 98123-45678", name="Asha Devi", language="en")
    request = ServiceRequest.get()
    assert "give the citizen this tracking number" in text(page) and request.tracking_number in text(page)
    assert Outbox.select().where(Outbox.template == "request_received", Outbox.address == "9812345678").exists()
    file_at_counter(counter, w, mobile="098123 45678", name="Someone Else", area="")
    citizen = Citizen.get()
    assert (Citizen.select().count(), citizen.mobile, citizen.name, citizen.language, citizen.district_id) == (
        1, "9812345678", "Asha Devi", "en", w.amb.id)
    assert [(r.citizen_id, r.filed_by_id, r.area_id) for r in ServiceRequest.select().order_by(ServiceRequest.id)] == [
        (citizen.id, w.counter.id, w.tehsil.id), (citizen.id, w.counter.id, None)]


@pytest.mark.parametrize("change, message", [
    ({"mobile": "12345"}, "12345 is not a mobile number"),
    ({"service": "draft"}, "Not a valid choice"),
    ({"area": "hisar"}, "Hisar tehsil is not in Ambala"),
    ({"district": "hisar"}, "Not a valid choice"),
    ({"details": " "}, "This field is required"),
    ({"name": "N" * 10_000}, "Field cannot be longer than 150 characters."),
    ({"details": "D" * 200_000}, "Field cannot be longer than 10000 characters."),
    ({"mobile": "9" * 5_000}, "Field cannot be longer than 20 characters."),
])
def test_bad_input_shows_the_form_again_and_creates_nothing(app, w, change, message):
    # A counter of both districts may choose Hisar's areas, but not for an Ambala request.
    if change.get("area"):
        RoleGrant.create(officer=w.counter, role="counter_operator", district=w.hsr)
    draft = Service.create(code="REV-DRAFT", name_en="Draft", name_hi="मसौदा", department=w.service.department,
                           category="certificates", status="draft")
    values = {"draft": draft.id, "hisar": w.hsr.id if "district" in change else w.hsr_tehsil.id}
    change = {key: values.get(value, value) for key, value in change.items()}
    counter = login_as(app, w.counter)
    before = state()
    page = file_at_counter(counter, w, **change)
    assert message in text(page)
    assert page.request.path == "/admin/counter/" and 'name="mobile"' in page.get_data(as_text=True)
    assert state() == before


@pytest.fixture
def from_the_app(app, w):
    """A request the citizen filed from the app in Ambala, with a query to him open."""
    with app.app_context(), database.connection_context():
        citizen = Citizen.create(mobile="9812300001", name="Ram Lal")
        request = workflow.file_request(w.service, citizen, w.amb, area=w.tehsil)
        workflow.act(request, "start", w.field, version=request.version)
        workflow.act(request, "raise_query", w.field, version=request.version, note="Which village?")
    return request


def test_the_counter_finds_a_request_of_his_district_by_its_number_and_records_the_answer(app, w, from_the_app):
    counter = login_as(app, w.counter)
    # Not his own: out of his list, and out of reach without the number.
    assert listed_ids(counter.get("/admin/request/")) == set()
    assert counter.get(f"/admin/request/details/?id={from_the_app.id}").status_code == 302
    number = from_the_app.tracking_number
    found = counter.get("/admin/request/", query_string={"search": number}).get_data(as_text=True)
    assert number in found and f"search={number}" in found

    assert offered(details(counter, from_the_app, number)) == ["answer_query", "withdraw"]
    page = take(counter, from_the_app, "answer_query", search=number, note="Village Mullana.")
    assert not errors(page) and "Record the citizen's answer: done" in text(page)
    assert page.request.args["search"] == number and number in text(page)
    assert fresh(from_the_app).status == "citizen_responded"
    take(counter, from_the_app, "withdraw", search=number)
    assert fresh(from_the_app).status == "withdrawn"


def test_a_counter_of_another_district_cannot_reach_it(app, w, from_the_app):
    hisar_counter = login_as(app, w.hsr_field)
    RoleGrant.create(officer=w.hsr_field, role="counter_operator", district=w.hsr)
    number = from_the_app.tracking_number
    assert listed_ids(hisar_counter.get("/admin/request/", query_string={"search": number})) == set()
    assert hisar_counter.post(f"/admin/request/step/?id={from_the_app.id}&search={number}").status_code == 404


@pytest.mark.parametrize("change", [{"name": "a\x00b"}, {"details": "c\x00d"}, {"mobile": "98123\x0145678"}])
def test_a_control_character_in_a_field_is_refused_and_changes_nothing(app, w, change):
    # PostgreSQL cannot store a NUL: this was a 500 there, and stored silently on SQLite.
    counter = login_as(app, w.counter)
    before = state()
    page = file_at_counter(counter, w, **change)
    [name] = change
    assert page.status_code == 400 and f"“{name}” holds a control character" in text(page)
    assert state() == before


def test_a_control_character_in_a_search_is_refused(app, w):
    client = login_as(app, w.state)
    for url in ("/admin/request/?search=%00", "/admin/request/?search=a%01b", "/admin/ticket/?flt0_0=%00"):
        page = client.get(url)
        assert page.status_code == 400 and "holds a control character" in text(page), url
    assert client.get("/admin/request/?search=%09").status_code == 200
