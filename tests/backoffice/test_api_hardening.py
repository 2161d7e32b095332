"""The endpoint against a hostile or broken client: limits, no batching, no introspection in production,
unexpected errors masked, and a page of requests in a fixed number of SQL statements."""
import logging

import pytest

from backoffice import workflow
from backoffice.api import hardening
from models import Citizen, database
from tests.backoffice.api_support import call, citizen_token, ok
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)

APP_CONFIG = "{ appConfig { minimumVersion } }"


def only_error(body):
    assert body.get("data") is None, body
    [error] = body["errors"]
    return error["message"]


def test_too_deep_a_query_is_refused(client, monkeypatch):
    deep = "{ services { edges { node { department { code } } } } }"
    assert "errors" not in call(client, deep)
    monkeypatch.setattr(hardening, "MAX_DEPTH", 2)
    assert "exceeds maximum operation depth of 2" in only_error(call(client, deep))


def test_a_thousand_aliases_are_refused(client):
    many = "{ " + " ".join(f"a{n}: appConfig {{ minimumVersion }}" for n in range(hardening.MAX_ALIASES + 1)) + " }"
    assert "aliases found" in only_error(call(client, many))
    thousand = "{ " + " ".join(f"a{n}: __typename" for n in range(1000)) + " }"
    assert only_error(call(client, thousand))
    assert "errors" not in call(client, "{ a: appConfig { minimumVersion } b: appConfig { latestVersion } }")


def test_too_many_tokens_are_refused_before_parsing_ends(client):
    long = "{ " + " ".join(["__typename"] * hardening.MAX_TOKENS) + " }"
    assert f"more than {hardening.MAX_TOKENS} tokens" in only_error(call(client, long))


def test_a_large_body_is_refused_with_413(app, client):
    padding = " " * app.config["GRAPHQL_MAX_BODY_BYTES"]
    response = client.post("/graphql", json={"query": APP_CONFIG + padding})
    assert response.status_code == 413
    assert client.post("/graphql", json={"query": APP_CONFIG}).status_code == 200


def test_batches_are_refused(client):
    response = client.post("/graphql", json=[{"query": APP_CONFIG}, {"query": APP_CONFIG}])
    assert response.status_code == 400


def test_introspection_is_off_where_the_setting_says(app, client):
    introspection = "{ __schema { queryType { name } } }"
    assert call(client, introspection)["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    app.config["GRAPHQL_INTROSPECTION"] = False
    body = call(client, introspection)
    assert body["data"] is None and "introspection has been disabled" in body["errors"][0]["message"]
    assert ok(client, "{ __typename }") == {"__typename": "Query"}


def test_introspection_is_off_in_production_by_default(monkeypatch, tmp_path):
    from backoffice import config
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    assert config.load({"APP_ENV": "test"})["GRAPHQL_INTROSPECTION"] is True
    assert config.load({"APP_ENV": "production", "SECRET_KEY": "k" * 40, "SMS_BACKEND": "http",
                        "SMS_GATEWAY_URL": "http://127.0.0.1:9/", "PUBLIC_URL": "https://x.in",
                        "MAIL_DEFAULT_SENDER": "x@x.in", "DATABASE_URL": "postgresql://x/y"})["GRAPHQL_INTROSPECTION"] \
        is False


@pytest.mark.parametrize("app_env", ["test", "production"])
def test_an_unexpected_error_is_logged_with_an_id_and_masked_in_production(app, client, caplog, app_env):
    app.config["APP_ENV"] = app_env
    del app.config["APP_MAINTENANCE_MESSAGE"]  # a fault of ours: the resolver raises KeyError
    with caplog.at_level(logging.ERROR):
        body = call(client, "{ appConfig { maintenanceMessage } }")
    [error] = body["errors"]
    error_id = error["extensions"]["errorId"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR" and len(error_id) == 12
    [logged] = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged.exc_info[0] is KeyError
    if app_env == "production":
        assert error["message"] == f"Unexpected error; quote error id {error_id} when reporting it."
    else:
        assert "APP_MAINTENANCE_MESSAGE" in error["message"]


def test_expected_failures_are_not_logged_as_faults(client, caplog):
    with caplog.at_level(logging.ERROR):
        call(client, "{ me { name } }")
        call(client, "mutation { logIn(mobile: \"9812300001\", code: \"000000\") { __typename } }")
    assert caplog.records == []


MY_REQUESTS = """{ myRequests(first: 100) { totalCount edges { node {
  trackingNumber status timeLeft { workingDays text } actions
  service { code nameHi timeLimit { value } department { code nameHi } } district { code } } } } }"""


def statements(client, token, caplog):
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        connection = ok(client, MY_REQUESTS, token)["myRequests"]
    return connection["totalCount"], len([r for r in caplog.records if r.name == "peewee"])


def test_my_requests_cost_the_same_statements_for_1_and_50(app, client, w, caplog):
    token = citizen_token(client, "9812300001")

    def file(count):
        with app.app_context(), database.connection_context():
            citizen = Citizen.get(Citizen.mobile == "9812300001")
            for _ in range(count):
                workflow.file_request(w.service, citizen, w.amb, area=w.tehsil)

    file(1)
    one = statements(client, token, caplog)
    file(49)
    fifty = statements(client, token, caplog)
    assert (one[0], fifty[0]) == (1, 50)
    assert one[1] == fifty[1] <= 5, (one, fifty)  # the token, the count, the page, the calendars
