import re

from models import Officer, RoleGrant, database
from tests.conftest import login


def ensure(app, monkeypatch, **env):
    for name in ("ADMIN_EMAIL", "ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return app.test_cli_runner().invoke(args=["admin", "ensure"])


def state_admins():
    with database.connection_context():
        return [g.officer.email for g in RoleGrant.select().where(RoleGrant.role == "state_admin")]


def test_generated_password_is_printed_once_and_works(app, client, monkeypatch):
    result = ensure(app, monkeypatch)
    assert result.exit_code == 0, result.output
    password = re.search(r"password \(shown once.*\): (\S+)", result.output).group(1)
    assert state_admins() == ["admin@example.gov.in"]
    assert login(client, "admin@example.gov.in", password).status_code == 302

    again = ensure(app, monkeypatch)
    assert again.exit_code == 0
    assert "already exists" in again.output and password not in again.output
    assert state_admins() == ["admin@example.gov.in"]


def test_email_and_password_from_the_environment(app, client, monkeypatch):
    result = ensure(app, monkeypatch, ADMIN_EMAIL="DC.Office@Haryana.gov.in",
                    ADMIN_PASSWORD="a long sentence nobody guesses")
    assert result.exit_code == 0, result.output
    assert "shown once" not in result.output
    assert state_admins() == ["dc.office@haryana.gov.in"]
    assert login(client, "dc.office@haryana.gov.in", "a long sentence nobody guesses").status_code == 302


def test_a_weak_admin_password_is_refused_and_nothing_is_created(app, monkeypatch):
    result = ensure(app, monkeypatch, ADMIN_PASSWORD="password@123")
    assert result.exit_code == 1
    assert "ADMIN_PASSWORD" in result.output
    assert state_admins() == []
    with database.connection_context():
        assert Officer.select().count() == 0
