"""/metrics: Prometheus's format, bounded labels, who may read it, summed over gunicorn's workers; JSON logs."""
import datetime
import json
import logging

from prometheus_client.parser import text_string_to_metric_families

from backoffice import create_app, metrics
from backoffice.logs import JsonLines
from models import database
from models import jobs as failures
from models.timeutil import utcnow
from tests.backoffice.admin_support import make_request
from tests.backoffice.notify_support import officer, tell
from tests.conftest import PRODUCTION_NEEDS
from tests.processes import fetch

DISTRICTS = "query Districts { districts { code } }"


def samples(text):
    """{(sample name, sorted labels): value} of an exposition."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(client, **headers):
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain")
    return samples(response.get_data(as_text=True))


def graphql_count(figures, operation):
    return figures.get(("jansahayak_graphql_request_duration_seconds_count", (("operation", operation),)), 0)


def test_graphql_latency_by_the_app_s_operation_names_anything_else_other(client, catalogue):
    assert "Districts" in metrics.operation_names()
    before = scrape(client)
    client.post("/graphql", json={"query": DISTRICTS, "operationName": "Districts"})
    client.post("/graphql", json={"query": "query Made { districts { code } }", "operationName": "Made"})
    client.post("/graphql", json={"query": "{ districts { code } }"})
    client.post("/graphql", json={"query": "{ nothing }"})  # an error
    after = scrape(client)
    assert graphql_count(after, "Districts") - graphql_count(before, "Districts") == 1
    assert graphql_count(after, "other") - graphql_count(before, "other") == 3
    assert not any(dict(labels).get("operation") == "Made" for _, labels in after)
    errors = ("jansahayak_graphql_errors_total", (("operation", "other"),))
    assert after[errors] - before.get(errors, 0) == 1


def test_latency_by_admin_view_and_unknown_addresses_as_other(admin_client):
    before = scrape(admin_client)
    admin_client.get("/admin/outbox/")
    admin_client.get("/no/such/page/1")
    admin_client.get("/no/such/page/2")
    after = scrape(admin_client)

    def count(view):
        key = ("jansahayak_http_request_duration_seconds_count", (("view", view),))
        return after.get(key, 0) - before.get(key, 0)
    assert count("outbox.index_view") == 1
    assert count("other") == 2


def test_the_database_s_figures(app, client, catalogue):
    person = officer()
    tell(app, person, "password_reset", about=person, link="https://jansahayak.example.in/reset-password/x", hours=1)
    with database.connection_context():
        make_request(number="HR-2026-LATE-0001", due_at=utcnow() - datetime.timedelta(days=2))
        make_request(number="HR-2026-TIME-0002", due_at=utcnow() + datetime.timedelta(days=2))
        make_request(number="HR-2026-DONE-0003", due_at=utcnow() - datetime.timedelta(days=2), status="delivered")
        failures.record("mail_send", "", "SMTPServerDisconnected", "", attempts=4)
    figures = scrape(client)
    assert figures[("jansahayak_database_up", ())] == 1
    assert figures[("jansahayak_outbox_messages", (("status", "pending"),))] == 1
    assert figures[("jansahayak_outbox_oldest_pending_age_seconds", ())] >= 0
    assert figures[("jansahayak_requests_overdue", ())] == 1
    assert figures[("jansahayak_job_failures_total", (("task", "mail_send"),))] == 1
    assert figures[("jansahayak_jobs_queued", ())] == 0


def test_only_the_token_or_the_allowed_networks_may_read_it(app):
    app.config.update(METRICS_TOKEN="s3cret-scrape-token", METRICS_ALLOW_NETWORKS=())
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "203.0.113.5"
    assert stranger.get("/metrics").status_code == 403
    assert stranger.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert stranger.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"}).status_code == 200
    app.config.update(METRICS_TOKEN=None)
    assert stranger.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    assert app.test_client().get("/metrics").status_code == 403  # loopback too, once no network is allowed


def test_each_request_is_logged_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="backoffice.access"):
        response = client.get("/login")
    [record] = [r for r in caplog.records if r.name == "backoffice.access"]
    line = json.loads(JsonLines().format(record))
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert (line["method"], line["path"], line["status"], line["endpoint"]) == ("GET", "/login", 200, "auth.login")


def test_under_gunicorn_the_workers_counts_are_summed_and_logs_are_json(gunicorn, db_url):
    server = gunicorn(APP_ENV="test", DATABASE_URL=db_url, SECRET_KEY="test-secret", GUNICORN_WORKERS="2",
                      GUNICORN_THREADS="1", LOG_FORMAT="json").wait_ready()
    ids = [fetch(f"{server.url}/login")[1]["X-Request-Id"] for _ in range(12)]
    figures = samples(fetch(f"{server.url}/metrics")[2])
    assert figures[("jansahayak_http_request_duration_seconds_count", (("view", "auth.login"),))] == 12
    logged = {}
    for text in server.output().splitlines():
        if text.startswith("{"):
            line = json.loads(text)
            if line.get("path") == "/login":
                logged[line["request_id"]] = line
    assert set(ids) <= set(logged)
    assert {line["status"] for line in logged.values()} == {200}


def test_a_masked_graphql_error_carries_the_request_id(app, client):
    app.config["APP_ENV"] = "production"
    del app.config["APP_MAINTENANCE_MESSAGE"]  # a fault of ours: the resolver raises KeyError
    response = client.post("/graphql", json={"query": "{ appConfig { maintenanceMessage } }"})
    [error] = response.get_json()["errors"]
    assert error["message"].startswith("Unexpected error")
    assert error["extensions"]["requestId"] == response.headers["X-Request-Id"]


def test_in_production_no_network_may_read_it_unless_named(app, monkeypatch):
    # nginx on the same machine makes every visitor loopback; only a token or a named network is believed.
    settings = {**PRODUCTION_NEEDS, "APP_ENV": "production", "DATABASE_URL": app.config["DATABASE_URL"]}
    assert create_app(settings).test_client().get("/metrics").status_code == 403
    monkeypatch.setenv("METRICS_ALLOW_NETWORKS", "10.0.0.5/32, 127.0.0.0/8")
    assert create_app(settings).test_client().get("/metrics").status_code == 200
