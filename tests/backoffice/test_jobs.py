"""Background jobs: a real `flask --app wsgi worker` process on the SQLite queue and on Redis."""
import datetime
import signal
import time
import uuid

import pytest

from backoffice import create_app, jobs
from models import JobFailure, Outbox, database
from models import jobs as failures
from tests.backoffice.admin_support import department
from tests.backoffice.notify_support import officer, tell
from tests.conftest import login, make_officer
from tests.processes import BIN, Program, free_port


@pytest.fixture(params=["sqlite", "redis"])
def queue_settings(request):
    if request.param == "sqlite":
        return {}  # a file in the instance folder
    return {"REDIS_URL": request.getfixturevalue("redis_server"), "JOBS_QUEUE_NAME": f"test-{uuid.uuid4().hex[:12]}"}


@pytest.fixture
def worker(app, queue_settings, tmp_path):
    """start(**settings): the app as the worker sees it (to queue jobs from) and the worker process."""
    started = []

    def start(**extra):
        settings = {"APP_ENV": "test", "SECRET_KEY": "test-secret", "DATABASE_URL": app.config["DATABASE_URL"],
                    "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": app.config["MAIL_PORT"], **queue_settings, **extra}
        queuing = create_app(settings)
        # One thread: the jobs run in the order they were queued.
        process = Program([str(BIN / "flask"), "--app", "wsgi", "worker", "--threads", "1", "--no-periodic"],
                          tmp_path / f"worker-{len(started)}.log", **settings).start()
        started.append((queuing, process))
        return queuing, process

    yield start
    for queuing, process in started:
        assert process.stop(signal.SIGINT) == 0, process.output()  # SIGINT: finish the job at hand, then stop
        jobs.queue(queuing).storage.flush_all()


def wait_for(condition, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.running(), f"the worker stopped:\n{process.output()}"
        with database.connection_context():
            found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not done in {timeout} s; the worker said:\n{process.output()}")


def test_the_worker_runs_the_sweep_the_digest_and_sends_the_outbox(app, smtp, worker):
    person = officer()
    tell(app, person, "password_reset", about=person, link="https://jansahayak.example.in/reset-password/x", hours=1)
    queuing, process = worker()
    tasks = queuing.extensions["jobs"]
    for name in ("sla_sweep", "digest_send", "mail_send"):
        tasks[name]()
    wait_for(lambda: Outbox.get().status == "sent", process)
    [message] = smtp.to(person.email)
    assert message["Subject"] == "A new password for the Jansahayak back office"
    with database.connection_context():
        assert not JobFailure.select().exists()
    assert jobs.queue_size(queuing) == 0


def test_a_job_that_keeps_failing_is_tried_again_then_recorded_once(worker):
    # The help mailbox's server is down: nothing listens on its port.
    queuing, process = worker(HELPDESK_IMAP_HOST="127.0.0.1", HELPDESK_IMAP_PORT=free_port(),
                              HELPDESK_IMAP_SECURITY="none", HELPDESK_IMAP_USER="help", HELPDESK_IMAP_PASSWORD="x",
                              JOB_RETRY_DELAY=0)
    queuing.extensions["jobs"]["helpdesk_fetch"]()
    [failure] = wait_for(lambda: list(JobFailure.select()), process)
    assert failure.task == "helpdesk_fetch"
    assert failure.attempts == jobs.RETRIES + 1
    assert "Connection refused" in failure.error or "ConnectionRefusedError" in failure.trace
    assert process.output().count("Unhandled exception in task") == jobs.RETRIES + 1


def test_the_schedule(app):
    tasks = app.extensions["jobs"]
    # No help mailbox configured: no fetch that could only refuse.
    assert set(tasks) == {"mail_send", "sla_sweep", "digest_send", "privacy_purge"}
    at = datetime.datetime(2026, 3, 2, 0, 30)  # UTC, 06:00 IST
    assert jobs.SCHEDULES["digest_send"](at) and not jobs.SCHEDULES["digest_send"](at.replace(minute=31))
    assert all(jobs.SCHEDULES[name](at.replace(minute=31)) for name in ("mail_send", "sla_sweep"))
    assert jobs.SCHEDULES["helpdesk_fetch"](at) and not jobs.SCHEDULES["helpdesk_fetch"](at.replace(minute=31))
    # The retention purge at 03:00 IST, once a day.
    assert jobs.SCHEDULES["privacy_purge"](at.replace(hour=21)) and not jobs.SCHEDULES["privacy_purge"](at)


def test_state_administrators_read_the_failed_jobs(app, admin_client):
    with database.connection_context():
        failures.record("mail_send", "((), {})", "SMTPServerDisconnected: Connection unexpectedly closed",
                        "Traceback (most recent call last):\n  ...", attempts=4)
    page = admin_client.get("/admin/failed-jobs/").get_data(as_text=True)
    assert "mail_send" in page and "SMTPServerDisconnected" in page
    assert "Failed jobs" in admin_client.get("/admin/").get_data(as_text=True)


def test_other_administrators_do_not(app, client, catalogue):
    with database.connection_context():
        revenue = department("REV")
    make_officer("rev.admin@example.gov.in", "department_admin", department=revenue)
    login(client, "rev.admin@example.gov.in")
    assert client.get("/admin/failed-jobs/").status_code == 403
    assert "/admin/failed-jobs/" not in client.get("/admin/").get_data(as_text=True)
