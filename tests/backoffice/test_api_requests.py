"""A citizen's requests from the app: his list, one by tracking number, withdrawing and answering a query."""
import base64

import pytest

from backoffice import workflow
from models import Citizen, Outbox, ServiceRequest, database
from tests.backoffice.api_support import call, citizen_token, error_code, officer_token, ok
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD, make_officer
from tests.rows import snapshot

MINE = "9812300001"
MY_REQUESTS = """query MyRequests($status: [RequestStatus!], $first: Int, $after: String) {
  myRequests(status: $status, first: $first, after: $after) {
    totalCount
    edges { cursor node { trackingNumber status version service { code department { code } } district { code } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
ONE = """query Track($number: String!) {
  myRequest(trackingNumber: $number) {
    trackingNumber status statusLabel version dueAt closedAt actions openQuery
    timeLeft { workingDays hours paused text }
    timeline { kind by fromStatus toStatus note }
  }
}"""
RESULT = """
    __typename
    ... on Request { trackingNumber status version actions timeLeft { paused workingDays } }
    ... on Problem { code message }
"""
WITHDRAW = "mutation W($number: String!, $version: Int!) { withdrawRequest(trackingNumber: $number, version: $version) {%s} }" % RESULT
ANSWER = ("mutation A($number: String!, $version: Int!, $answer: String!) "
          "{ answerQuery(trackingNumber: $number, version: $version, answer: $answer) {%s} }" % RESULT)


def run(app, step):
    with app.app_context(), database.connection_context():
        return step()


def file(app, w, mobile=MINE, language="en"):
    def step():
        citizen, _ = Citizen.get_or_create(mobile=mobile, defaults={"name": "Ram Lal", "language": language})
        return workflow.file_request(w.service, citizen, w.amb, area=w.tehsil)
    return run(app, step)


def act(app, request, action, officer, **fields):
    def step():
        fresh = ServiceRequest.get_by_id(request.id)
        workflow.act(fresh, action, officer, version=fresh.version, **fields)
        return fresh
    return run(app, step)


def state():
    with database.connection_context():
        return snapshot()


def version(request):
    with database.connection_context():
        return ServiceRequest.get_by_id(request.id).version


@pytest.fixture
def token(client, w):
    """Ram Lal's, who reads English."""
    with database.connection_context():
        Citizen.create(mobile=MINE, name="Ram Lal", language="en")
    return citizen_token(client, MINE)


def numbers(connection):
    return [edge["node"]["trackingNumber"] for edge in connection["edges"]]


def test_my_requests_are_mine_only_newest_first(app, client, w, token):
    first, second = file(app, w), file(app, w)
    file(app, w, mobile="9812300002")
    connection = ok(client, MY_REQUESTS, token)["myRequests"]
    assert numbers(connection) == [second.tracking_number, first.tracking_number]
    assert connection["totalCount"] == 2 and connection["pageInfo"]["hasNextPage"] is False
    node = connection["edges"][0]["node"]
    assert node["service"] == {"code": "REV-SC", "department": {"code": "REV"}} and node["district"] == {"code": "AMB"}
    assert node["status"] == "ASSIGNED"  # routed to a tehsildar at once


def test_filter_by_status(app, client, w, token):
    started, _ = file(app, w), file(app, w)
    officer = started.assigned_officer
    act(app, started, "start", officer)
    connection = ok(client, MY_REQUESTS, token, status=["IN_PROGRESS", "QUERY_RAISED"])["myRequests"]
    assert numbers(connection) == [started.tracking_number] and connection["totalCount"] == 1
    assert ok(client, MY_REQUESTS, token, status=["DELIVERED"])["myRequests"]["edges"] == []


def test_paging_through_my_requests(app, client, w, token):
    filed = [file(app, w).tracking_number for _ in range(5)]
    seen, after = [], None
    while True:
        connection = ok(client, MY_REQUESTS, token, first=2, after=after)["myRequests"]
        assert connection["totalCount"] == 5
        seen += numbers(connection)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == filed[::-1]


@pytest.mark.parametrize("variables, message", [
    ({"first": 101}, '"first" must be between 0 and 100, not 101.'),
    ({"after": base64.urlsafe_b64encode(b"key:yesterday|HR").decode()}, '"after" is not a cursor from this API'),
    ({"after": "nonsense"}, '"after" is not a cursor from this API'),
])
def test_page_size_is_capped_and_cursors_checked(client, w, token, variables, message):
    body = call(client, MY_REQUESTS, token, **variables)
    assert error_code(body) == "BAD_USER_INPUT" and body["errors"][0]["message"].startswith(message)


def test_one_request_by_its_number_with_its_timeline_and_time_left(app, client, w, token):
    request = file(app, w)
    typed = request.tracking_number.lower().replace("-", " ")
    found = ok(client, ONE, token, number=typed)["myRequest"]
    assert found["trackingNumber"] == request.tracking_number and found["status"] == "ASSIGNED"
    assert found["statusLabel"] == "Assigned" and found["dueAt"].endswith("+00:00") and found["closedAt"] is None
    assert found["actions"] == ["WITHDRAW"] and found["openQuery"] is None
    left = found["timeLeft"]
    # Three working days from the receipt day; filed on a day off, that day itself (the next working day) is ahead too.
    assert 0 <= left["workingDays"] <= 4 and left["hours"] is None and not left["paused"] and left["text"]
    assert [(e["kind"], e["by"], e["toStatus"]) for e in found["timeline"]] == [
        ("filed", "CITIZEN", "SUBMITTED"), ("assign", "SYSTEM", "ASSIGNED")]
    # Routing's note names the officer: it stays in the back office.
    assert [e["note"] for e in found["timeline"]] == [None, None]


def test_another_citizens_request_is_not_found_and_not_touched(app, client, w, token):
    theirs = file(app, w, mobile="9812300002")
    assert ok(client, ONE, token, number=theirs.tracking_number) == {"myRequest": None}
    before = state()
    refusal = ok(client, WITHDRAW, token, number=theirs.tracking_number, version=theirs.version)["withdrawRequest"]
    assert refusal["code"] == "request_not_found"
    assert refusal["message"] == f"There is no request {theirs.tracking_number} among yours."
    refusal = ok(client, ANSWER, token, number=theirs.tracking_number, version=theirs.version, answer="x")
    assert refusal["answerQuery"]["code"] == "request_not_found"
    assert state() == before


def test_withdrawing_tells_the_citizen_as_the_admin_would(app, client, w, token):
    request = file(app, w)
    done = ok(client, WITHDRAW, token, number=request.tracking_number, version=version(request))["withdrawRequest"]
    assert done["__typename"] == "Request" and done["status"] == "WITHDRAWN" and done["actions"] == []
    assert done["timeLeft"] is None
    with database.connection_context():
        assert Outbox.select().where(Outbox.template == "request_withdrawn").count() == 1
    again = ok(client, WITHDRAW, token, number=request.tracking_number, version=done["version"])["withdrawRequest"]
    assert again["code"] == "transition_not_allowed"


def test_a_stale_version_is_refused_and_nothing_changes(app, client, w, token):
    request = file(app, w)
    seen = version(request)
    act(app, request, "start", request.assigned_officer)
    before = state()
    refusal = ok(client, WITHDRAW, token, number=request.tracking_number, version=seen)["withdrawRequest"]
    assert refusal["code"] == "request_changed" and request.tracking_number in refusal["message"]
    assert state() == before


def queried(app, w):
    request = file(app, w)
    act(app, request, "start", request.assigned_officer)
    return act(app, request, "raise_query", request.assigned_officer, note="Which village do you live in?")


def test_answering_the_officers_query(app, client, w, token):
    request = queried(app, w)
    found = ok(client, ONE, token, number=request.tracking_number)["myRequest"]
    assert found["openQuery"] == "Which village do you live in?" and found["actions"] == ["ANSWER_QUERY", "WITHDRAW"]
    assert found["timeLeft"]["paused"] and found["timeLeft"]["workingDays"] is None
    assert found["timeline"][-2]["note"] == "Which village do you live in?"
    done = ok(client, ANSWER, token, number=request.tracking_number, version=found["version"],
              answer="Naraingarh")["answerQuery"]
    assert done["status"] == "CITIZEN_RESPONDED" and not done["timeLeft"]["paused"]
    timeline = ok(client, ONE, token, number=request.tracking_number)["myRequest"]["timeline"]
    assert ("answer_query", "CITIZEN", "Naraingarh") in [(e["kind"], e["by"], e["note"]) for e in timeline]


def test_an_empty_answer_is_refused_in_his_language_and_nothing_changes(app, client, w, token):
    request = queried(app, w)
    before = state()
    refusal = ok(client, ANSWER, token, "hi", number=request.tracking_number, version=version(request),
                 answer="  ")["answerQuery"]
    assert refusal["code"] == "answer_query_needs_note" and refusal["message"] == "नागरिक का उत्तर लिखें।"
    assert state() == before


def test_messages_follow_his_language_unless_the_app_asks_for_another(app, client, w, token):
    request = file(app, w)
    variables = dict(number=request.tracking_number, version=version(request) + 7)
    assert "changed by someone else" in ok(client, WITHDRAW, token, **variables)["withdrawRequest"]["message"]
    assert ok(client, "mutation { setLanguage(language: HI) { language } }", token) == {
        "setLanguage": {"language": "HI"}}
    hindi = ok(client, WITHDRAW, token, **variables)["withdrawRequest"]["message"]
    assert "changed" not in hindi and request.tracking_number in hindi
    assert "changed by someone else" in ok(client, WITHDRAW, token, "en", **variables)["withdrawRequest"]["message"]
    assert ok(client, ONE, token, number=request.tracking_number)["myRequest"]["statusLabel"] != "Assigned"


def test_the_lang_argument_wins_over_the_header_and_his_language(app, client, w, token):
    request = file(app, w)
    query = {"query": WITHDRAW, "variables": dict(number=request.tracking_number, version=version(request) + 7)}
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    hindi = client.post("/graphql?lang=hi", json=query, headers=headers).get_json()
    assert "changed" not in hindi["data"]["withdrawRequest"]["message"]
    english = client.post("/graphql?lang=xx", json=query, headers=headers).get_json()
    assert "changed by someone else" in english["data"]["withdrawRequest"]["message"]


def test_an_officers_token_reads_no_citizens_requests(app, client, w):
    file(app, w)
    officer = make_officer("kavita@example.gov.in")
    token = officer_token(client, officer.email, PASSWORD)
    assert error_code(call(client, MY_REQUESTS, token)) == "UNAUTHENTICATED"
