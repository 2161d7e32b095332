"""More than one machine: two gunicorn instances on different loopback ports, one PostgreSQL database, one
Redis-backed huey worker.

A citizen logs in and applies on one server, an officer starts the work on the other; then the time runs out
and the SLA sweep and the outbox sender run on both "machines" at once (the CLI, as cron runs it) and in the
worker too: every request is appealed once and every message goes once, to a real SMTP server.
"""
import datetime
import json
import re
import signal
import time
import urllib.request
import uuid
from collections import Counter

import pytest

from backoffice import create_app, jobs
from models import (
    Appeal, Designation, DevelopmentSms, Officer, Outbox, Post, RequestEvent, Service, ServiceRequest, database,
)
from models.timeutil import utcnow
from tests.backoffice.api_support import LOG_IN, OFFICER_LOG_IN, REQUEST_CODE, operation, sent_code
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD
from tests.processes import BIN, Program, fetch
from tests.world import password_hash

# On PostgreSQL only: SQLite serves one machine.
pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

MOBILE = "9812377701"
APPLICATIONS = 3
SUBMIT, TRACK, STEP = operation("Submit"), operation("OfficerTrack"), operation("TakeStep")


def graphql(server, query, token=None, **variables):
    """The data of one operation sent to `server` over HTTP, as the app sends it."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables}).encode()
    with urllib.request.urlopen(urllib.request.Request(f"{server.url}/graphql", data=body, headers=headers),
                                timeout=30) as response:
        answer = json.load(response)
    assert "errors" not in answer, answer
    return answer["data"]


def cli(settings, log, *command):
    """`flask --app wsgi COMMAND` as cron runs it on one machine."""
    return Program([str(BIN / "flask"), "--app", "wsgi", *command], log, **settings).start()


def finished(programs, timeout=60):
    for program in programs:
        program.process.wait(timeout=timeout)
        assert program.process.returncode == 0, program.output()
    return [program.output() for program in programs]


def executed(worker, task, count, timeout=30):
    """Wait until the worker's log says `task` ran `count` times."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert worker.running(), worker.output()
        if len(re.findall(rf"{task}.* executed in", worker.output())) >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"{task} did not run {count} time(s):\n{worker.output()}")


def test_two_app_servers_share_one_database_and_one_queue(app, w, smtp, redis_server, gunicorn, tmp_path):
    with database.connection_context():
        # The appellate authority the sweep sends each late request to.
        sdm = Designation.create(department=w.service.department, name="SDM", level="area")
        Service.update(first_appellate=sdm).where(Service.id == w.service.id).execute()
        authority = Officer.create(name="SDM", email="sdm@x.in", password_hash=password_hash())
        Post.create(officer=authority, designation=sdm, area=w.tehsil)
    settings = {"APP_ENV": "test", "SECRET_KEY": "test-secret", "DATABASE_URL": app.config["DATABASE_URL"],
                "REDIS_URL": redis_server, "JOBS_QUEUE_NAME": f"two-{uuid.uuid4().hex[:12]}",
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "2"}
    one, other = gunicorn(**settings), gunicorn(**settings)
    worker = Program([str(BIN / "flask"), "--app", "wsgi", "worker", "--threads", "2", "--no-periodic"],
                     tmp_path / "worker.log", **settings).start()
    queuing = create_app(settings)
    tasks = queuing.extensions["jobs"]
    try:
        for server in (one.wait_ready(), other.wait_ready()):
            status, _, body = fetch(f"{server.url}/readyz")
            assert status == 200, body  # the database, its migrations and the shared queue

        # The citizen, on the first server: a code by SMS, his token, his applications.
        assert graphql(one, REQUEST_CODE, mobile=MOBILE)["requestLoginCode"]["__typename"] == "LoginCodeSent"
        session = graphql(one, LOG_IN, mobile=MOBILE, code=sent_code(MOBILE))["logIn"]
        filed = [graphql(one, SUBMIT, session["token"], input={"service": "REV-SC", "district": "AMB",
                                                                "area": "AMB-T", "answers": []})["submitRequest"]
                 for _ in range(APPLICATIONS)]
        assert [f["__typename"] for f in filed] == ["Request"] * APPLICATIONS, filed
        numbers = [f["trackingNumber"] for f in filed]

        # The officers, on the other: each starts the requests routed to him.
        tokens = {o.id: graphql(other, OFFICER_LOG_IN, email=o.email, password=PASSWORD)["officerLogIn"]["token"]
                  for o in (w.field, w.field2)}
        with database.connection_context():
            assignee = {r.tracking_number: r.assigned_officer_id
                        for r in ServiceRequest.select().where(ServiceRequest.tracking_number.in_(numbers))}
        for number in numbers:
            token = tokens[assignee[number]]
            version = graphql(other, TRACK, token, trackingNumber=number)["officerRequest"]["version"]
            started = graphql(other, STEP, token, trackingNumber=number, step="START", version=version)["takeStep"]
            assert started["__typename"] == "OfficerRequest" and started["status"] == "IN_PROGRESS", started

        # Their time runs out. Both machines' cron and the worker sweep at once ...
        with database.connection_context():
            ServiceRequest.update(due_at=utcnow() - datetime.timedelta(days=1)).execute()
        sweeps = [cli({**settings, "INSTANCE_PATH": tmp_path / f"machine-{n}"}, tmp_path / f"sweep-{n}.log",
                      "sla", "sweep", "--batch", "1") for n in (1, 2)]
        tasks["sla_sweep"]()
        outputs = finished(sweeps)
        executed(worker, "sla_sweep", 1)
        assert sum(int(out.split()[0]) for out in outputs) <= APPLICATIONS
        # ... then send the outbox at once, on both and in the worker.
        senders = [cli({**settings, "INSTANCE_PATH": tmp_path / f"machine-{n}"}, tmp_path / f"send-{n}.log",
                       "mail", "send", "--batch", "1") for n in (1, 2)]
        tasks["mail_send"]()
        finished(senders)
        executed(worker, "mail_send", 1)

        with database.connection_context():
            requests = list(ServiceRequest.select().where(ServiceRequest.tracking_number.in_(numbers)))
            assert [(r.appeal_level, r.appealed_to_id) for r in requests] == [(1, authority.id)] * APPLICATIONS
            appeals = Counter(a.request_id for a in Appeal.select())
            assert sorted(appeals.values()) == [1] * APPLICATIONS
            appealed = Counter(e.request_id for e in RequestEvent.select().where(RequestEvent.kind == "appealed"))
            assert sorted(appealed.values()) == [1] * APPLICATIONS, appealed
            # Every message went once: the filings' acknowledgements, the officers' and authority's news.
            outbox = list(Outbox.select())
            assert {m.status for m in outbox} == {"sent"}, [(m.template, m.status, m.last_error) for m in outbox]
            mails = [m.message_id for m in outbox if m.channel == "email"]
            sms = Counter(s.outbox_id for s in DevelopmentSms.select().where(DevelopmentSms.outbox.is_null(False)))
            assert sorted(sms.values()) == [1] * len([m for m in outbox if m.channel == "sms"]) and sms
        received = smtp.message_ids()
        assert mails and sorted(received) == sorted(mails), (received, mails)  # none twice, none lost
    finally:
        assert worker.stop(signal.SIGINT) == 0, worker.output()
        jobs.queue(queuing).storage.flush_all()
