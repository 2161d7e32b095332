"""Citizens' personal data: in full only to those handling their requests; requests looked up by number."""
import re

import pytest

from models import AuditEntry, HelpTicket, scope
from tests.backoffice.scope_support import listed_ids, log_in, outcome, world  # noqa: F401 (fixture)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.fixture
def request_(world):
    """The revenue request in Ambala: assigned to the tehsildar, filed from the app."""
    return world.requests["REV", "AMB"]


@pytest.mark.parametrize("url", ["/admin/request/", "/admin/request/export/csv/", "/admin/request/details/?id={id}"])
def test_others_see_the_mobile_number_masked(client, world, request_, url):
    log_in(client, world.rev_admin)
    page = text(client, url.format(id=request_.id))
    mobile = request_.citizen.mobile
    assert mobile not in page and scope.mask(mobile) in page


def test_the_officer_handling_a_request_sees_it_in_full_and_the_view_is_audited(client, world, request_):
    log_in(client, world.tehsildar_amb)
    page = text(client, f"/admin/request/details/?id={request_.id}")
    assert request_.citizen.mobile in page and "aadhaar: 123456789012" in page
    entry = AuditEntry.get(AuditEntry.action == "view")
    assert (entry.officer_id, entry.row_id, entry.note) == (world.tehsildar_amb.id, str(request_.id), "form_values")


def test_form_answers_are_masked_for_others(client, world, request_):
    log_in(client, world.amb_admin)
    page = text(client, f"/admin/request/details/?id={request_.id}")
    assert "123456789012" not in page and "aadhaar: ••••••••9012" in page
    assert not AuditEntry.select().where(AuditEntry.action == "view").exists()


def test_the_counter_operator_who_filed_it_sees_it_in_full(client, world):
    filed = world.requests["ULB", "AMB"]
    log_in(client, world.counter)
    assert filed.citizen.mobile in text(client, "/admin/request/export/csv/")


def test_citizens_list_and_export_are_masked(client, world, request_):
    log_in(client, world.amb_admin)
    for url in ("/admin/citizen/", "/admin/citizen/export/csv/", f"/admin/citizen/details/?id={request_.citizen_id}"):
        page = text(client, url)
        assert request_.citizen.mobile not in page and scope.mask(request_.citizen.mobile) in page, url


def test_a_masked_number_cannot_be_spelled_out_through_the_search(client, world, request_):
    log_in(client, world.state)
    mobile = request_.citizen.mobile
    assert listed_ids(client.get("/admin/request/", query_string={"search": mobile[:6]})) == set()
    assert request_.id in listed_ids(client.get("/admin/request/", query_string={"search": mobile}))


def test_a_help_desk_agent_sees_nothing_until_he_looks_a_request_up(client, world):
    wanted = world.requests["ULB", "HSR"]
    log_in(client, world.agent)
    assert listed_ids(client.get("/admin/request/")) == set()
    loose = wanted.tracking_number.lower().replace("-", " ")
    found = client.get("/admin/request/", query_string={"search": loose})
    assert listed_ids(found) == {wanted.id}
    # The details link carries the look-up; the bare id does not open the request.
    link = re.search(r'href="([^"]*details/\?id=\d+[^"]*)"', found.get_data(as_text=True)).group(1)
    assert wanted.tracking_number in text(client, link.replace("&amp;", "&"))
    bare = outcome(client, client.get(f"/admin/request/details/?id={wanted.id}"))
    assert bare == outcome(client, client.get("/admin/request/details/?id=999999"))


def test_a_help_desk_agent_looks_up_by_a_citizens_mobile_number(client, world):
    wanted = world.requests["REV", "HSR"]
    log_in(client, world.agent)
    assert listed_ids(client.get("/admin/request/", query_string={"search": wanted.citizen.mobile})) == {wanted.id}


def test_the_agent_of_a_citizens_ticket_sees_his_data_in_full(client, world):
    wanted = world.requests["REV", "HSR"]
    HelpTicket.create(number="JS-000002", channel="app", requester_citizen=wanted.citizen, assigned_agent=world.agent)
    log_in(client, world.agent)
    page = client.get("/admin/request/", query_string={"search": wanted.tracking_number}).get_data(as_text=True)
    assert wanted.citizen.mobile in page


def test_a_counter_operator_looks_up_by_number_in_his_district_only(client, world):
    own, nearby, far = world.requests["ULB", "AMB"], world.requests["REV", "AMB"], world.requests["REV", "HSR"]
    log_in(client, world.counter)
    assert listed_ids(client.get("/admin/request/")) == {own.id}
    assert listed_ids(client.get("/admin/request/", query_string={"search": nearby.tracking_number})) == {nearby.id}
    assert listed_ids(client.get("/admin/request/", query_string={"search": far.tracking_number})) == set()
    assert listed_ids(client.get("/admin/request/", query_string={"search": nearby.citizen.mobile})) == set()


def test_administrators_look_nothing_up_outside_their_scope(client, world):
    log_in(client, world.rev_admin)
    other = world.requests["ULB", "AMB"]
    assert listed_ids(client.get("/admin/request/", query_string={"search": other.tracking_number})) == set()


def test_citizens_are_not_sorted_by_a_masked_column(client, world):
    log_in(client, world.amb_admin)
    page = text(client, "/admin/citizen/")
    # Columns are sorted by their place in the list: mobile is the second, e-mail the third.
    assert "sort=0" in page and not re.search(r"sort=[12][&\"]", page)


def test_the_requests_export_opens_safely_in_a_spreadsheet(client, world):
    import csv
    import io
    from models import Citizen, Service
    filed = world.requests["ULB", "AMB"]
    Citizen.update(name='=HYPERLINK("http://evil.example","आवेदन")').where(Citizen.id == filed.citizen_id).execute()
    Service.update(name_en="@SUM(1+1)", name_hi="-2+3").where(Service.id == filed.service_id).execute()
    log_in(client, world.counter)
    response = client.get("/admin/request/export/csv/")
    content = response.get_data(as_text=True)
    # Excel reads UTF-8 (the Hindi) only after this mark.
    assert content.startswith("\ufeff") and response.mimetype == "text/csv"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cells = [cell for row in csv.reader(io.StringIO(content.removeprefix("\ufeff"))) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","आवेदन")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.parametrize("typed", ["%", "_", "%%%"])
def test_a_wildcard_in_the_search_lists_no_request(client, world, typed):
    log_in(client, world.state)
    assert listed_ids(client.get("/admin/request/", query_string={"search": typed})) == set()
    assert listed_ids(client.get("/admin/citizen/", query_string={"search": typed})) == set()
