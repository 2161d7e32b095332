"""Background jobs that failed for good: what ran, with what, and why, for a state administrator to read.

A job (backoffice/jobs.py) is tried again a few times; only after its last try
is it recorded here. Rows are never changed or deleted by the application:
/metrics counts them as a total that only grows.
"""
from peewee import CharField, DateTimeField, IntegerField, TextField

from .db import BaseModel
from .timeutil import utcnow


class JobFailure(BaseModel):
    task = CharField(max_length=100, index=True)
    arguments = TextField(default="")  # repr of the call's arguments, cut short
    error = TextField()  # the exception's type and message
    trace = TextField(default="")
    attempts = IntegerField()
    failed_at = DateTimeField(default=utcnow, index=True)

    def __str__(self):
        return f"{self.task} ({self.failed_at:%Y-%m-%d %H:%M})"


def record(task, arguments, error, trace, attempts):
    """Keep a job's last failure; the texts are cut to what an admin reads, the trace to its end."""
    return JobFailure.create(task=task[:100], arguments=arguments[:2000], error=error[:2000],
                             trace=trace[-20000:], attempts=attempts)
