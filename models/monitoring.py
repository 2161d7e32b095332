"""The figures /metrics reports from the database: the outbox's backlog, overdue requests, failed jobs.

Each is one indexed count, cheap enough to run at every scrape (every 15 s or so).
"""
from peewee import fn

from .appeals import RUNNING
from .jobs import JobFailure
from .notifications import Outbox
from .requests import ServiceRequest
from .timeutil import utcnow

# Delivered messages are the history, not the backlog.
WAITING = ("pending", "sending", "failed", "uncertain")


def figures(now=None):
    now = now or utcnow()
    outbox = dict(Outbox.select(Outbox.status, fn.COUNT(Outbox.id)).where(Outbox.status.in_(WAITING))
                  .group_by(Outbox.status).tuples())
    oldest = Outbox.select(fn.MIN(Outbox.created_at)).where(Outbox.status == "pending").scalar()
    if isinstance(oldest, str):  # SQLite hands back an aggregate's datetime as text
        oldest = Outbox.created_at.python_value(oldest)
    return {
        "outbox": {status: outbox.get(status, 0) for status in WAITING},
        "outbox_oldest_pending_seconds": (now - oldest).total_seconds() if oldest else 0.0,
        # Open with the clock running (a query to the citizen stops it), past the due date, at any appeal level.
        "requests_overdue": ServiceRequest.select().where(RUNNING, ServiceRequest.due_at < now).count(),
        "job_failures": dict(JobFailure.select(JobFailure.task, fn.COUNT(JobFailure.id))
                             .group_by(JobFailure.task).tuples()),
    }
