"""The mobile app's story over HTTP with a real GraphQL client: gunicorn on loopback, `gql` over requests.

The server runs in persisted-operations-only mode, as in production, and the
client sends the app's own documents (graphql/operations/) by their sha256.
Not yet in the story (built by another engineer, not on main when this was
written): submitting from the app with a PDF, downloading the issued
document and rating; the request is filed by workflow.file_request
(models.lifecycle.file) in the test's setup, and delivered with a note.
"""
import hashlib

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport

from backoffice import workflow
from backoffice.api.cli import SCHEMA_FILE
from backoffice.api.persisted import OPERATIONS_DIR
from models import Citizen, District, HelpTicket, Post, Service, database, helpdesk
from tests.backoffice.api_support import sent_code
from tests.conftest import PASSWORD, make_officer

MOBILE = "9812300001"


def _documents():
    """{operation name: (its file's text, the file's sha256)}."""
    found = {}
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        for definition in gql(text).document.definitions:
            name = getattr(definition, "name", None)
            if getattr(definition, "operation", None) is not None:
                found[name.value] = (text, hashlib.sha256(path.read_bytes()).hexdigest())
    return found


DOCUMENTS = _documents()


class Phone:
    """The app: a gql client (requests transport) checking each document against graphql/schema.graphql
    before sending it, and sending it by hash as a persisted operation."""

    def __init__(self, url, token=None, language=None):
        headers = {"Accept-Language": language} if language else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        transport = RequestsHTTPTransport(url=f"{url}/graphql", headers=headers, timeout=30, retries=0)
        self.client = Client(transport=transport, schema=SCHEMA_FILE.read_text(encoding="utf-8"))

    def run(self, name, **variables):
        text, sha256 = DOCUMENTS[name]
        request = GraphQLRequest(text, operation_name=name, variable_values=variables,
                                 extensions={"persistedQuery": {"version": 1, "sha256Hash": sha256}})
        return self.client.execute(request)


@pytest.fixture
def world(app, catalogue):
    """Ambala's tehsildar (routing gives him the request) and a help-desk agent."""
    with database.connection_context():
        service = Service.get(Service.code == "REV-SC-CERT")
        amb = District.get(District.code == "AMB")
        officer = make_officer("tehsildar.ambala@example.gov.in")
        Post.create(officer=officer, designation=service.designated_officer, district=amb)
    return {"service": service, "district": amb, "officer": officer,
            "agent": make_officer("agent@example.gov.in", "helpdesk_agent")}


def test_the_story_over_http_with_a_real_client(app, world, gunicorn, db_url):
    server = gunicorn(APP_ENV="test", DATABASE_URL=db_url, SECRET_KEY="test-secret", GRAPHQL_PERSISTED_ONLY="1",
                      GUNICORN_WORKERS="2", GUNICORN_THREADS="2").wait_ready()
    anonymous = Phone(server.url, language="hi")

    # Only the app's documents run: anything else is refused, in Hindi when asked.
    with pytest.raises(TransportQueryError) as refusal:
        anonymous.client.execute(gql("{ districts { code } }"))
    assert refusal.value.errors[0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    assert "केवल ऐप के अपने ऑपरेशन" in refusal.value.errors[0]["message"]

    # The citizen logs in with the code from the development SMS backend, and browses in Hindi.
    assert anonymous.run("RequestLoginCode", mobile=MOBILE)["requestLoginCode"]["__typename"] == "LoginCodeSent"
    session = anonymous.run("LogIn", mobile=MOBILE, code=sent_code(MOBILE))["logIn"]
    assert session["__typename"] == "CitizenSession" and session["me"]["language"] == "HI"
    citizen = Phone(server.url, session["token"])
    found = anonymous.run("Services", search="जाति प्रमाण", district="AMB", first=5)["services"]
    assert "REV-SC-CERT" in [edge["node"]["code"] for edge in found["edges"]]
    assert anonymous.run("Service", code="REV-SC-CERT")["service"]["nameHi"] == "अनुसूचित जाति प्रमाण पत्र"

    # Filed in the setup: submitting from the app is another engineer's, not on main yet.
    with app.app_context(), database.connection_context():
        request = workflow.file_request(world["service"], Citizen.get(Citizen.mobile == MOBILE), world["district"])
    number = request.tracking_number
    tracked = citizen.run("Track", trackingNumber=number)["myRequest"]
    assert tracked["status"] == "ASSIGNED" and tracked["statusLabel"] == "आवंटित"

    # The officer logs in, finds it in his queue, starts it and raises a query.
    login = anonymous.run("OfficerLogIn", email=world["officer"].email, password=PASSWORD)["officerLogIn"]
    officer = Phone(server.url, login["token"], "en")
    queue = officer.run("MyQueue")["myQueue"]
    assert [edge["node"]["trackingNumber"] for edge in queue["edges"]] == [number]
    assert queue["edges"][0]["node"]["applicant"]["mobile"] == MOBILE

    def step(name, note=None):
        current = officer.run("OfficerTrack", trackingNumber=number)["officerRequest"]
        [offered] = [s for s in current["steps"] if s["step"] == name]
        done = officer.run("TakeStep", trackingNumber=number, step=name, version=offered["version"], note=note)
        assert done["takeStep"]["__typename"] == "OfficerRequest", done
        return done["takeStep"]

    step("START")
    assert step("RAISE_QUERY", "Which village do you live in?")["status"] == "QUERY_RAISED"

    # The citizen reads the question and answers it.
    tracked = citizen.run("Track", trackingNumber=number)["myRequest"]
    assert tracked["openQuery"] == "Which village do you live in?" and tracked["actions"][0] == "ANSWER_QUERY"
    answered = citizen.run("AnswerQuery", trackingNumber=number, version=tracked["version"], answer="Naraingarh")
    assert answered["answerQuery"]["status"] == "CITIZEN_RESPONDED"

    # The officer approves and delivers (with a note: the PDF upload is the other engineer's).
    step("APPROVE")
    delivered = step("DELIVER", "Collect the certificate at the tehsil.")
    assert delivered["status"] == "DELIVERED" and delivered["steps"] == []
    tracked = citizen.run("Track", trackingNumber=number)["myRequest"]
    assert tracked["status"] == "DELIVERED" and tracked["statusLabel"] == "सेवा प्रदान की गई"
    assert tracked["timeline"][-1]["note"] == "Collect the certificate at the tehsil."

    # Then he asks the help desk; an agent answers (the admin's own function); he reads the answer.
    raised = citizen.run("RaiseTicket", subject="प्रमाण पत्र", text="Can it be sent by post?", trackingNumber=number)
    ticket = raised["raiseTicket"]
    assert ticket["__typename"] == "Ticket" and ticket["trackingNumber"] == number
    with database.connection_context():
        helpdesk.reply(HelpTicket.get(HelpTicket.number == ticket["number"]), world["agent"],
                       "Yes: write your address at the tehsil.")
    read = citizen.run("ReadTicket", number=ticket["number"])["myTicket"]
    assert [(m["by"], m["text"]) for m in read["thread"]] == [
        ("ME", "Can it be sent by post?"), ("HELP_DESK", "Yes: write your address at the tehsil.")]
    assert read["status"] == "WAITING_ON_REQUESTER"
    assert citizen.run("MyTickets")["myTickets"]["totalCount"] == 1
