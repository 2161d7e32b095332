"""DATABASE_REPLICA_URL: the dashboard's figures are read from the replica, everything else from the primary.

The replica here is a copy of the primary that stopped following it, so that a figure tells which database
it came from; a streaming replica is the same to the app, a moment behind (docs/deployment.md).
"""
import sqlite3
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from backoffice import create_app
from models import Citizen, dashboard, database, lifecycle
from models import db as models_db
from models.clock import ist_date
from models.timeutil import utcnow
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD, csrf_token


@pytest.fixture
def replica(app, tmp_path):
    """The URL of a copy of the primary as it is now."""
    url = app.config["DATABASE_URL"]
    if not database.is_closed():
        database.close()
    if url.startswith("sqlite"):
        copy = tmp_path / "replica.db"
        source, target = sqlite3.connect(url[len("sqlite:///"):]), sqlite3.connect(copy)
        source.backup(target)
        source.close(), target.close()
        yield f"sqlite:///{copy}"
        return
    parts = urlsplit(url)
    name = f"r_{uuid.uuid4().hex[:12]}"
    server = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    server.autocommit = True
    with server.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} TEMPLATE {parts.path.lstrip('/')}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        models_db.open_replica(None)
        with server.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        server.close()


def received(officer):
    today = ist_date(utcnow())
    return dashboard.report(officer, today, today).total.received


def test_the_dashboard_reads_its_figures_from_the_replica(app, w, replica):
    with database.connection_context():
        for n in range(2):
            citizen = Citizen.create(mobile=f"98123000{n:02d}", name=f"Citizen {n}")
            lifecycle.file(w.service, citizen, w.amb, area=w.tehsil)
        assert received(w.state) == 2  # the primary
        try:
            models_db.open_replica(replica)
            assert received(w.state) == 0  # the replica, from before those two
            assert Citizen.select().count() == 2  # everything else: the primary
        finally:
            models_db.reader().close()
            models_db.open_replica(None)
        assert received(w.state) == 2


def test_the_app_opens_the_replica_and_closes_its_connection_after_each_request(app, w, replica):
    served = create_app({**{k: app.config[k] for k in ("APP_ENV", "DATABASE_URL", "SECRET_KEY")},
                         "DATABASE_REPLICA_URL": replica})
    try:
        assert models_db.reader() is not database
        client = served.test_client()
        token = csrf_token(client, "/login")
        client.post("/login", data={"email": w.state.email, "password": PASSWORD,
                                    "csrf_token": token})
        assert client.get("/admin/").status_code == 200  # the dashboard, its figures from the replica
        assert models_db.reader().is_closed()
    finally:
        models_db.open_replica(None)
