"""/healthz and /readyz: unauthenticated, cheap, and saying why when not ready."""
from backoffice import create_app
from models import database


def test_healthz_answers_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "alive"}


def test_ready_when_the_database_answers_migrated_and_the_queue_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ready",
                                   "checks": {"database": "ok", "migrations": "ok", "queue": "ok"}}


def test_not_ready_while_a_migration_is_pending(client):
    with database.connection_context():
        database.execute_sql("DELETE FROM schema_migration WHERE name = '0017_job_failures'")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == "pending: 0017_job_failures"


def app_with(tmp_path, monkeypatch, **settings):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({"APP_ENV": "test", "SECRET_KEY": "test-secret",
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", **settings})


def test_not_ready_when_the_database_is_unreachable_and_alive_all_the_same(tmp_path, monkeypatch):
    # Nothing listens on port 1: the connection is refused at once.
    app = app_with(tmp_path, monkeypatch, DATABASE_URL="postgresql://nobody@127.0.0.1:1/nothing")
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "unreachable (OperationalError)"
    assert "127.0.0.1" not in response.get_data(as_text=True)  # the driver's text stays in the log
    assert client.get("/healthz").status_code == 200


def test_not_ready_when_the_job_queue_is_unreachable(tmp_path, monkeypatch):
    app = app_with(tmp_path, monkeypatch, REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["queue"] == "unreachable (ConnectionError)"


def test_every_answer_carries_a_request_id_and_keeps_a_sane_one_from_the_proxy(client):
    made = client.get("/healthz").headers["X-Request-Id"]
    assert len(made) == 32 and made != client.get("/healthz").headers["X-Request-Id"]
    assert client.get("/healthz", headers={"X-Request-Id": "nginx-4f2a9c01"}).headers["X-Request-Id"] == \
        "nginx-4f2a9c01"
    forged = client.get("/healthz", headers={"X-Request-Id": "x\"} {\"level\": \"forged"}).headers["X-Request-Id"]
    assert len(forged) == 32 and "forged" not in forged
