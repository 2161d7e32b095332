"""Fixtures that give each test a real, freshly migrated database.

Every test that takes `app` or `db` runs twice: on a SQLite file and on the
PostgreSQL server named by TEST_DATABASE_URL (each test in a database of its
own, copied from one migrated at the start of the run).
Without TEST_DATABASE_URL the PostgreSQL half skips, except in CI where a
skip would hide a failure.
"""
import os
import queue
import re
import shutil
import socket
import threading
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
import redis

from backoffice import create_app
from models import Officer, RoleGrant, database, open_database
from models import migrate, people
from tests import imap_server as imap
from tests.processes import Gunicorn
from tests.smtp_server import SmtpServer

IN_CI = os.environ.get("CI") == "true"
PRODUCTION_HASH_METHOD = people.PASSWORD_HASH_METHOD
PASSWORD = "correct horse battery staple"
# What APP_ENV=production requires (backoffice/config.py); the tests' databases are SQLite files too.
PRODUCTION_NEEDS = {
    "SECRET_KEY": "a production secret of thirty-two characters or more",
    "ALLOW_SQLITE_IN_PRODUCTION": "1",
    "SMS_BACKEND": "http",
    "SMS_GATEWAY_URL": "http://127.0.0.1:9/sms",
    "PUBLIC_URL": "https://jansahayak.example.in",
    "MAIL_DEFAULT_SENDER": "Jansahayak <noreply@jansahayak.example.in>",
}


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    """scrypt costs a tenth of a second an officer; tests make thousands of officers."""
    people.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    yield
    people.PASSWORD_HASH_METHOD = PRODUCTION_HASH_METHOD


def _migrate(url):
    open_database(url)
    with database.connection_context():
        migrate.upgrade()
    database.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file migrated once per run: each test gets a copy, ten times faster than migrating."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgresql_template():
    """A PostgreSQL database migrated once per run, and a thread that drops the tests' copies of it.

    CREATE DATABASE ... TEMPLATE takes a twentieth of the time of running the
    migrations. DROP DATABASE forces a checkpoint, quick on a quiet server but
    a minute when several runs share it, so a thread drops them while the tests
    go on, and the run waits for it only so long: each name carries its run's
    process id, and a later run drops what a finished one left.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        message = ("PostgreSQL tests need a server: install postgresql and set "
                   "TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = psycopg2.connect(base)
    server.autocommit = True
    doomed = queue.Queue()
    with server.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname ~ '^(t|tpl)_[0-9]+_'")
        for (name,) in cur.fetchall():
            if not _process_alive(int(name.split("_")[1])):
                doomed.put(name)
        template = f"tpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        cur.execute(f"CREATE DATABASE {template}")
    _migrate(_database_url(base, template))

    def drop_each():
        while (name := doomed.get()) is not None:
            with server.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    dropper = threading.Thread(target=drop_each, daemon=True)
    dropper.start()
    yield base, template, doomed
    doomed.put(template)
    doomed.put(None)
    dropper.join(timeout=60)


def _process_alive(pid):
    try:
        os.kill(pid, 0)  # no signal: only whether it exists (PermissionError: it does, as another user)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _database_url(base, name):
    """`base` (a PostgreSQL URL) naming database `name` instead of its own."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A migrated database of its own for the test, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    base, template, doomed = request.getfixturevalue("postgresql_template")
    name = f"t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    server = psycopg2.connect(base)
    server.autocommit = True
    with server.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    server.close()
    try:
        yield _database_url(base, name)
    finally:
        if not database.is_closed():
            database.close()
        doomed.put(name)


@pytest.fixture
def db(db_url):
    """A migrated database without the Flask app, for tests of models/."""
    open_database(db_url)
    with database.connection_context():
        migrate.upgrade()
    database.connect(reuse_if_open=True)
    yield database
    database.close()


@pytest.fixture
def smtp_port():
    """A free port on loopback: the app's mail server, which `smtp` starts when a test wants one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(smtp_port):
    """A real SMTP server (tests/smtp_server.py) where the app sends its mail."""
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def imap_server():
    """A private dovecot on loopback (tests/imap_server.py) for the help mailbox; skipped, saying why, when
    it cannot be started, except in CI."""
    reason = imap.unavailable()
    if reason:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    server = imap.ImapServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(imap_server, app):
    """A fresh, empty help mailbox on that server, and the app set to fetch from it."""
    box = imap_server.mailbox()
    app.config.update(HELPDESK_IMAP_HOST="127.0.0.1", HELPDESK_IMAP_PORT=imap_server.port,
                      HELPDESK_IMAP_SECURITY="none", HELPDESK_IMAP_USER=box.user, HELPDESK_IMAP_PASSWORD=box.password)
    return box


@pytest.fixture(scope="session")
def redis_server():
    """The Redis on 127.0.0.1:6379 (REDIS_URL in production) for the job queue's tests; skipped, saying
    why, when it does not answer, except in CI (.ci/run starts it)."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"the job queue's Redis tests need a server at {url}: {error}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def gunicorn(tmp_path):
    """start(**environment): gunicorn -c gunicorn.conf.py wsgi:app on a free loopback port (tests/processes.py)."""
    servers = []

    def start(**env):
        server = Gunicorn(tmp_path, **env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def app(db_url, tmp_path, monkeypatch, smtp_port):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"APP_ENV": "test", "DATABASE_URL": db_url, "SECRET_KEY": "test-secret",
                      "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port})
    with database.connection_context():
        migrate.upgrade()
    yield app
    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


def make_officer(email, role=None, password=PASSWORD, **grant):
    """An active officer with a password and, optionally, one role grant."""
    with database.connection_context():
        officer = Officer(name=email.split("@")[0], email=email)
        officer.set_password(password)
        officer.save()
        if role:
            RoleGrant.create(officer=officer, role=role, **grant)
    return officer


@pytest.fixture
def state_admin(app):
    return make_officer("state.admin@example.gov.in", "state_admin")


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(client, url):
    """The CSRF token of the form served at `url`."""
    page = client.get(url).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no csrf_token in the form at {url}"
    return match.group(1) or match.group(2)


def login(client, email, password=PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def admin_client(client, state_admin):
    response = login(client, state_admin.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def catalogue(app):
    """The bundled Haryana catalogue, loaded into this test's database."""
    from models import catalogue_file
    with database.connection_context():
        return catalogue_file.load()
