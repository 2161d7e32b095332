"""Background work: huey's queue, the periodic jobs, and `flask --app wsgi worker` that runs them.

The queue is a SQLite file in the instance folder, so one machine needs
nothing else; with REDIS_URL it is in Redis, shared by every machine. Each
job calls the function its CLI command calls (`mail send`, `sla sweep`,
`helpdesk fetch`, `digest send`), so cron users lose nothing; each of those
is safe to run twice at once, which is what lets two workers' schedulers
overlap. A job that raises is tried again RETRIES times, JOB_RETRY_DELAY apart;
after the last try it is recorded (models/jobs.py) for the admin's Failed
jobs screen and /metrics.
"""
import logging
import traceback
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from huey.signals import SIGNAL_ERROR

from models import database, jobs as failures

from . import appeal_workflow, retention
from .helpdesk import fetch as helpdesk_fetch
from .notify import digests, sender

RETRIES = 3
log = logging.getLogger(__name__)
# huey compares crontabs with UTC (utc=True): 00:30 UTC is 06:00 IST, before office hours.
SCHEDULES = {
    "mail_send": crontab(),
    "sla_sweep": crontab(),
    "helpdesk_fetch": crontab(minute="*/2"),
    "digest_send": crontab(minute="30", hour="0"),
    "privacy_purge": crontab(minute="30", hour="21"),  # 03:00 IST, when nobody works
}


def make_queue(config):
    # Results are never read: a job's outcome is in the database it changed.
    if config["REDIS_URL"]:
        return RedisHuey(config["JOBS_QUEUE_NAME"], url=config["REDIS_URL"], results=False)
    return SqliteHuey(config["JOBS_QUEUE_NAME"], filename=config["JOBS_SQLITE_PATH"], results=False)


def queue(app):
    return app.extensions["huey"]


def queue_size(app):
    """Jobs waiting; asking reaches the queue's storage, which is what /readyz wants to know."""
    return queue(app).storage.queue_size()


def _in_app(app, work):
    def run():
        with app.app_context(), database.connection_context():
            return work()
    return run


def _mail_send():
    return sender.send_due()


def _sla_sweep():
    return appeal_workflow.sweep()


def _helpdesk_fetch():
    return helpdesk_fetch.fetch()


def _digest_send():
    return digests.queue_today()


def _privacy_purge():
    return retention.purge()


PERIODIC = {"mail_send": _mail_send, "sla_sweep": _sla_sweep, "helpdesk_fetch": _helpdesk_fetch,
            "digest_send": _digest_send, "privacy_purge": _privacy_purge}


def _register(app, huey):
    """The periodic jobs by name (each also a task one may queue at once by calling it)."""
    tasks = {}
    for name, work in PERIODIC.items():
        if name == "helpdesk_fetch" and not app.config["HELPDESK_IMAP_HOST"]:
            continue  # no help mailbox configured: fetch would only refuse, every two minutes
        tasks[name] = huey.periodic_task(SCHEDULES[name], retries=RETRIES, retry_delay=app.config["JOB_RETRY_DELAY"],
                                         name=name)(_in_app(app, work))

    @huey.signal(SIGNAL_ERROR)
    def _record_last_failure(signal, task, exc=None):
        if task.retries:  # huey tries it again
            return
        name, attempts = type(task).__name__, task.default_retries + 1
        with app.app_context(), database.connection_context():
            failures.record(name, repr(task.data), f"{type(exc).__name__}: {exc}",
                            "".join(traceback.format_exception(exc)), attempts=attempts)
        log.error("job %s failed after %d tries: %s", name, attempts, exc)

    return tasks


def init_app(app):
    app.config.setdefault("JOBS_SQLITE_PATH", str(Path(app.instance_path) / "jobs.db"))
    huey = make_queue(app.config)
    app.extensions["huey"] = huey
    app.extensions["jobs"] = _register(app, huey)
    app.cli.add_command(worker)


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1),
              help="Jobs run at once.")
@click.option("--no-periodic", is_flag=True,
              help="Run queued jobs only; leave the schedule to another worker (several machines).")
@with_appcontext
def worker(threads, no_periodic):
    """Run the background jobs: the outbox, the SLA sweep, the help mailbox, the daily digest.

    Stop it with SIGINT (finishes the jobs running) or SIGTERM (at once).
    """
    consumer = Consumer(queue(current_app), workers=threads, periodic=not no_periodic, worker_type="thread",
                        check_worker_health=True)
    consumer.run()
