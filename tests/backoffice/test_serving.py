"""Serving in production: gunicorn with gunicorn.conf.py, ProxyFix behind nginx, the refusals at start."""
import pytest

from backoffice import create_app
from backoffice.config import ConfigError
from models import LoginAttempt, database
from tests.conftest import PRODUCTION_NEEDS, login
from tests.processes import fetch


def test_gunicorn_serves_the_back_office(gunicorn, db_url):
    server = gunicorn(APP_ENV="test", DATABASE_URL=db_url, SECRET_KEY="test-secret", GUNICORN_WORKERS="2",
                      GUNICORN_THREADS="2").wait_ready()
    status, headers, page = fetch(f"{server.url}/login")
    assert status == 200 and 'name="password"' in page
    assert len(headers["X-Request-Id"]) == 32
    assert fetch(f"{server.url}/readyz")[0] == 200
    assert "Booting worker" in server.output() and server.output().count("Booting worker") == 2


def test_in_production_gunicorn_refuses_to_start_naming_the_setting(gunicorn, db_url):
    settings = {**PRODUCTION_NEEDS, "APP_ENV": "production", "DATABASE_URL": db_url}
    settings.pop("SECRET_KEY")
    server = gunicorn(**settings)
    assert server.process.wait(timeout=60) != 0
    assert "SECRET_KEY must be set when APP_ENV=production" in server.output()


@pytest.fixture
def production(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("ALLOW_SQLITE_IN_PRODUCTION", raising=False)
    return {**PRODUCTION_NEEDS, "APP_ENV": "production", "DATABASE_URL": db_url}


@pytest.mark.parametrize("key", ["", "changeme", "s" * 31])
def test_production_refuses_a_missing_or_short_secret_key(production, key):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({**production, "SECRET_KEY": key})


def test_production_refuses_the_development_secret_key(production, tmp_path):
    # The key scripts/serve made for development, copied into production's environment.
    development_key = create_app({"APP_ENV": "development", "DATABASE_URL": production["DATABASE_URL"]}).secret_key
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({**production, "SECRET_KEY": development_key})


def test_production_refuses_debug_mode(production, monkeypatch):
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        create_app({**production, "DEBUG": True})
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        create_app(production)


def test_production_refuses_the_development_sms_backend(production):
    with pytest.raises(ConfigError, match="SMS_BACKEND"):
        create_app({**production, "SMS_BACKEND": "development"})


def test_production_refuses_sqlite_unless_declared_single_machine(production):
    if not production["DATABASE_URL"].startswith("sqlite"):
        assert create_app({**production, "ALLOW_SQLITE_IN_PRODUCTION": "0"}).config["APP_ENV"] == "production"
        return
    with pytest.raises(ConfigError, match="ALLOW_SQLITE_IN_PRODUCTION"):
        create_app({**production, "ALLOW_SQLITE_IN_PRODUCTION": "0"})
    assert create_app(production).config["APP_ENV"] == "production"


def failed_login_ip(app, state_admin, **environ):
    client = app.test_client()
    client.environ_base.update(environ)
    assert login(client, state_admin.email, "not the password").status_code == 401
    with database.connection_context():
        return LoginAttempt.select().order_by(LoginAttempt.id.desc()).first().ip


def test_behind_one_proxy_lockout_counts_the_client_it_names(app, state_admin):
    proxied = create_app({"APP_ENV": "test", "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test-secret",
                          "PROXY_COUNT": 1})
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.4, 203.0.113.9"}
    # nginx appends the address it saw; what the client wrote before it is not believed.
    assert failed_login_ip(proxied, state_admin, **forwarded) == "203.0.113.9"


def test_without_a_proxy_a_forged_forwarded_for_is_ignored(app, state_admin):
    forged = {"REMOTE_ADDR": "192.0.2.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert failed_login_ip(app, state_admin, **forged) == "192.0.2.7"
