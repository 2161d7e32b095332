"""The lifecycle of models/lifecycle.py with the citizen told of each step.

The admin screens, the counter and the mobile API all come through here, so
no door can move a request without the citizen's SMS and e-mail being queued
in the same transaction (an outbox row exists if and only if the move did).
"""
from models import database, lifecycle

from . import notify


def file_request(service, citizen, district, **fields):
    """File a complete application (models.lifecycle.file) and acknowledge it.

    One message, even when routing assigned it at once: the acknowledgement
    with the tracking number is what the citizen needs from filing.
    """
    with database.atomic():
        request = lifecycle.file(service, citizen, district, **fields)
        notify.tell(citizen, "request_received", about=request, request=request)
    return request


def act(request, action, actor, **fields):
    """Make a transition (models.lifecycle.perform) and tell the citizen; returns the event."""
    with database.atomic():
        event = lifecycle.perform(request, action, actor, **fields)
        _tell_citizen(request, event)
    return event


def _tell_citizen(request, event):
    notify.tell(request.citizen, f"request_{event.to_status}", about=request, request=request, event=event)
