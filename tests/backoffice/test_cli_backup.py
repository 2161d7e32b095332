"""flask --app wsgi db backup PATH: SQLite's online backup while the app writes; restored and read."""
import sqlite3
import subprocess
import uuid

import psycopg2
import pytest

from backoffice import create_app
from models import Officer, database
from tests.conftest import _database_url, login, make_officer


def run(app, *args):
    return app.test_cli_runner().invoke(args=["db", "backup", *map(str, args)])


# db backup is SQLite's; PostgreSQL is refused, in a test of its own.
ON_SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
ON_POSTGRESQL = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@ON_SQLITE
def test_a_backup_restores_to_a_working_back_office(app, tmp_path, monkeypatch):
    make_officer("state.admin@example.gov.in", "state_admin")
    result = run(app, tmp_path / "backup.db")
    assert result.exit_code == 0, result.output
    assert f"backed up to {tmp_path / 'backup.db'}" in result.output
    # Restore: the copy put where a database goes, and the back office started on it.
    restored = tmp_path / "restored.db"
    restored.write_bytes((tmp_path / "backup.db").read_bytes())
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "restored-instance"))
    app = create_app({"APP_ENV": "test", "SECRET_KEY": "test-secret", "DATABASE_URL": f"sqlite:///{restored}"})
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    assert login(client, "state.admin@example.gov.in").status_code == 302
    with database.connection_context():
        assert Officer.get(Officer.email == "state.admin@example.gov.in").name == "state.admin"


@ON_SQLITE
def test_a_backup_taken_while_another_process_writes_holds_what_was_committed(app, tmp_path):
    make_officer("committed@example.gov.in")
    writer = sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as the server in the middle of a save
    writer.execute("UPDATE officer SET name = 'not yet' WHERE email = 'committed@example.gov.in'")
    try:
        result = run(app, tmp_path / "backup.db")
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "backup.db")
    assert copy.execute("SELECT name FROM officer").fetchall() == [("committed",)]
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()


@ON_SQLITE
def test_a_backup_never_overwrites_a_file(app, tmp_path):
    existing = tmp_path / "yesterday.db"
    existing.write_bytes(b"yesterday's backup")
    result = run(app, existing)
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert existing.read_bytes() == b"yesterday's backup"


@ON_SQLITE
def test_a_folder_that_does_not_exist_is_said_not_a_traceback(app, tmp_path):
    result = run(app, tmp_path / "nowhere" / "backup.db")
    assert result.exit_code == 1 and not isinstance(result.exception, sqlite3.Error)
    assert f"{tmp_path / 'nowhere' / 'backup.db'} cannot be written (unable to open database file)" in result.output
    assert not (tmp_path / "nowhere").exists()


@ON_POSTGRESQL
def test_postgresql_is_sent_to_pg_dump(app, tmp_path):
    result = run(app, tmp_path / "backup.db")
    assert result.exit_code == 1
    assert "pg_dump" in result.output and "docs/deployment.md" in result.output
    assert not (tmp_path / "backup.db").exists()


@ON_POSTGRESQL
def test_the_pg_dump_and_pg_restore_of_docs_deployment_md(app, tmp_path, monkeypatch, postgresql_template):
    make_officer("state.admin@example.gov.in", "state_admin")
    dump = tmp_path / "jansahayak.dump"
    # The commands as docs/deployment.md gives them.
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", app.config["DATABASE_URL"]],
                   check=True)
    base, _, doomed = postgresql_template
    name = f"restored_{uuid.uuid4().hex[:12]}"
    server = psycopg2.connect(base)
    server.autocommit = True
    with server.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    server.close()
    restored = _database_url(base, name)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)], check=True)
        monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "restored-instance"))
        app = create_app({"APP_ENV": "test", "SECRET_KEY": "test-secret", "DATABASE_URL": restored})
        client = app.test_client()
        assert client.get("/readyz").status_code == 200
        assert login(client, "state.admin@example.gov.in").status_code == 302
    finally:
        database.close()
        doomed.put(name)
