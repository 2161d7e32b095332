"""Persisted-operations mode (GRAPHQL_PERSISTED_ONLY): the app's own documents by their sha256, nothing else."""
import hashlib
import json

import pytest

from backoffice import workflow
from backoffice.api.persisted import OPERATIONS_DIR
from models import Citizen, District, Service, ServiceRequest, database
from tests.backoffice.api_support import citizen_token
from tests.rows import snapshot

REQUESTS = OPERATIONS_DIR / "requests.graphql"
CATALOGUE = OPERATIONS_DIR / "catalogue.graphql"


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def by_hash(sha256, name, **variables):
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}}, "operationName": name,
            "variables": variables}


@pytest.fixture
def persisted_only(app):
    app.config["GRAPHQL_PERSISTED_ONLY"] = True
    return app


@pytest.fixture
def theirs(app, catalogue):
    """A request of another citizen's, and the token of Ram Lal, who has none."""
    with app.app_context(), database.connection_context():
        other = Citizen.create(mobile="9812300002", name="Sita")
        request = workflow.file_request(Service.get(Service.code == "REV-SC-CERT"), other,
                                        District.get(District.code == "AMB"))
        Citizen.create(mobile="9812300001", name="Ram Lal")
    return request, citizen_token(app.test_client(), "9812300001")


def post(client, body, token=None, language=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if language:
        headers["Accept-Language"] = language
    response = client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def refused(body, code):
    assert body["data"] is None and [e["extensions"]["code"] for e in body["errors"]] == [code], body
    return body["errors"][0]["message"]


def state():
    with database.connection_context():
        return snapshot()


def test_a_document_runs_by_its_hash_or_its_exact_text(persisted_only, client, catalogue):
    body = post(client, by_hash(sha(CATALOGUE), "Service", code="DHBVN-SUPPLY-RESTORE"))
    assert body["data"]["service"]["code"] == "DHBVN-SUPPLY-RESTORE"
    text = CATALOGUE.read_text(encoding="utf-8")
    body = post(client, {"query": text, "operationName": "Districts"})
    assert "errors" not in body and body["data"]["districts"]


def test_a_query_of_the_clients_own_is_refused_and_changes_nothing(theirs, persisted_only, client):
    request, token = theirs
    before = state()
    # The app's own Withdraw, one character changed: no longer a document of the app.
    text = REQUESTS.read_text(encoding="utf-8").replace("mutation Withdraw", "mutation  Withdraw")
    variables = {"trackingNumber": request.tracking_number, "version": request.version}
    body = post(client, {"query": text, "operationName": "Withdraw", "variables": variables}, token, "en")
    assert refused(body, "PERSISTED_QUERY_REQUIRED").startswith("This server runs only the app's own operations")
    assert state() == before


@pytest.mark.parametrize("query", [
    "{ __schema { types { name } } }",
    "{ services(first: 100) { edges { node { code } } } }",
    "query { " + " ".join(f"a{i}: districts {{ code }}" for i in range(15)) + " }",
])
def test_introspection_and_free_queries_are_refused(persisted_only, client, query):
    refused(post(client, {"query": query}), "PERSISTED_QUERY_REQUIRED")


def test_an_unknown_hash_is_refused_in_the_readers_language(persisted_only, client):
    body = post(client, by_hash("0" * 64, "Districts"), language="hi")
    message = refused(body, "PERSISTED_QUERY_NOT_FOUND")
    assert "sha256Hash" in message and "graphql/operations/" in message and message.isascii() is False


def test_text_sent_with_a_hash_is_never_run(persisted_only, client, catalogue):
    # A known hash with other text: the server runs its own document, not the text.
    body = by_hash(sha(CATALOGUE), "Districts")
    body["query"] = "query Districts { __schema { types { name } } }"
    answer = post(client, body)
    assert "errors" not in answer and answer["data"]["districts"] and "__schema" not in answer["data"]


def test_a_hash_by_get_as_apollo_sends_queries(persisted_only, client, catalogue):
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha(CATALOGUE)}})
    response = client.get("/graphql", query_string={"extensions": extensions, "operationName": "Departments"})
    assert response.status_code == 200 and response.get_json()["data"]["departments"]


def test_malformed_extensions_are_refused(persisted_only, client):
    for persisted_query in ("abc", {"sha256Hash": 42}, {}):
        body = {"extensions": {"persistedQuery": persisted_query}, "operationName": "Districts"}
        refused(post(client, body), "PERSISTED_QUERY_NOT_FOUND")


def test_without_the_setting_any_query_runs(app, client, catalogue):
    assert app.config["GRAPHQL_PERSISTED_ONLY"] is False
    body = post(client, {"query": "{ districts { code } }"})
    assert "errors" not in body and body["data"]["districts"]


def test_a_batch_stays_refused(persisted_only, client):
    response = client.post("/graphql", json=[by_hash(sha(CATALOGUE), "Districts")])
    assert response.status_code == 400
    with database.connection_context():
        assert ServiceRequest.select().count() == 0
