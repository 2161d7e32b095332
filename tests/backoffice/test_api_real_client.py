"""The mobile app's story over HTTP with a real GraphQL client: gunicorn on loopback, `gql` over requests.

The server runs in persisted-operations-only mode, as in production, and the
client sends the app's own documents (graphql/operations/) by their sha256,
files as GraphQL multipart requests.
"""
import hashlib

import pytest
import requests
from gql import Client, FileVar, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport

from backoffice.api.cli import SCHEMA_FILE
from backoffice.api.persisted import OPERATIONS_DIR
from models import Delivery, District, HelpTicket, Post, RequestDocument, Service, database, forms, helpdesk
from tests.backoffice.api_support import sent_code
from tests.conftest import PASSWORD, make_officer
from tests.models.test_forms import PDF

# The service's form: a name and the caste proof, a PDF.
FORM = [
    {"key": "name", "type": "short_text", "label_en": "Name", "label_hi": "नाम", "required": True},
    {"key": "caste_proof", "type": "document", "label_en": "Caste proof", "label_hi": "जाति प्रमाण",
     "file_types": ["pdf"], "required": True},
]
CERTIFICATE = b"%PDF-1.7\n% the Scheduled Caste certificate\n%%EOF\n"

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
        """The operation's data; FileVar values go as files of a multipart request."""
        text, sha256 = DOCUMENTS[name]
        request = GraphQLRequest(text, operation_name=name, variable_values=variables,
                                 extensions={"persistedQuery": {"version": 1, "sha256Hash": sha256}})
        files = any(isinstance(v, FileVar) for v in _leaves(variables))
        return self.client.execute(request, upload_files=files)


def _leaves(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


@pytest.fixture
def world(app, catalogue):
    """The SC certificate's form, Ambala's tehsildar (routing gives him the request) and a help-desk agent."""
    with database.connection_context():
        service = Service.get(Service.code == "REV-SC-CERT")
        forms.save_form(service, FORM, make_officer("state@example.gov.in", "state_admin"))
        officer = make_officer("tehsildar.ambala@example.gov.in")
        Post.create(officer=officer, designation=service.designated_officer,
                    district=District.get(District.code == "AMB"))
    return {"officer": officer, "agent": make_officer("agent@example.gov.in", "helpdesk_agent")}


def test_the_story_over_http_with_a_real_client(world, gunicorn, db_url, tmp_path):
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
    service = anonymous.run("Service", code="REV-SC-CERT")["service"]
    assert service["nameHi"] == "अनुसूचित जाति प्रमाण पत्र"
    assert [field["labelHi"] for field in service["form"]["fields"]] == ["नाम", "जाति प्रमाण"]

    # He applies with the caste proof, a PDF file on his phone.
    proof = tmp_path / "jati-praman.pdf"
    proof.write_bytes(PDF)
    submitted = citizen.run("Submit", input={
        "service": "REV-SC-CERT", "formVersion": service["form"]["version"], "district": "AMB",
        "answers": [{"key": "name", "value": "आशा देवी"}],
        "documents": [{"key": "caste_proof", "file": FileVar(str(proof), content_type="application/pdf")}]})
    assert submitted["submitRequest"]["__typename"] == "Request", submitted
    number = submitted["submitRequest"]["trackingNumber"]
    with database.connection_context():
        assert bytes(RequestDocument.get(RequestDocument.key == "caste_proof").content) == PDF
    tracked = citizen.run("Track", trackingNumber=number)["myRequest"]
    assert tracked["status"] == "ASSIGNED" and tracked["statusLabel"] == "आवंटित"

    # The officer logs in, finds it in his queue, starts it and raises a query.
    login = anonymous.run("OfficerLogIn", email=world["officer"].email, password=PASSWORD)["officerLogIn"]
    officer = Phone(server.url, login["token"], "en")
    queue = officer.run("MyQueue")["myQueue"]
    assert [edge["node"]["trackingNumber"] for edge in queue["edges"]] == [number]
    assert queue["edges"][0]["node"]["applicant"]["mobile"] == MOBILE

    def step(name, note=None, document=None):
        current = officer.run("OfficerTrack", trackingNumber=number)["officerRequest"]
        [offered] = [s for s in current["steps"] if s["step"] == name]
        done = officer.run("TakeStep", trackingNumber=number, step=name, version=offered["version"], note=note,
                           document=document)
        assert done["takeStep"]["__typename"] == "OfficerRequest", done
        return done["takeStep"]

    step("START")
    assert step("RAISE_QUERY", "Which village do you live in?")["status"] == "QUERY_RAISED"

    # The citizen reads the question and answers it.
    tracked = citizen.run("Track", trackingNumber=number)["myRequest"]
    assert tracked["openQuery"] == "Which village do you live in?" and tracked["actions"][0] == "ANSWER_QUERY"
    answered = citizen.run("AnswerQuery", trackingNumber=number, version=tracked["version"], answer="Naraingarh")
    assert answered["answerQuery"]["status"] == "CITIZEN_RESPONDED"

    # The officer approves and delivers the certificate, a PDF.
    step("APPROVE")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(CERTIFICATE)
    delivered = step("DELIVER", "Signed by the Tehsildar.", FileVar(str(certificate), content_type="application/pdf"))
    assert delivered["status"] == "DELIVERED" and delivered["steps"] == []
    tracked = citizen.run("Track", trackingNumber=number)["myRequest"]
    assert tracked["status"] == "DELIVERED" and tracked["statusLabel"] == "सेवा प्रदान की गई"

    # He downloads it (a GET with his token) and rates the service.
    document = citizen.run("Download", trackingNumber=number)["myRequest"]["delivery"]["document"]
    assert document["filename"] == "certificate.pdf"
    download = requests.get(document["url"], headers={"Authorization": f"Bearer {session['token']}"}, timeout=30)
    assert download.status_code == 200 and download.content == CERTIFICATE
    assert requests.get(document["url"], timeout=30).status_code == 401
    rated = citizen.run("Rate", trackingNumber=number, stars=5, comment="जल्दी मिला")["rateRequest"]
    assert rated["__typename"] == "Rating" and rated["stars"] == 5
    with database.connection_context():
        assert bytes(Delivery.get().content) == CERTIFICATE

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
