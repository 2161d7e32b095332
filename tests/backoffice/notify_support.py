"""Helpers for the notification tests (tests/backoffice/test_notify*.py, test_password_reset.py)."""
import datetime
import re

from backoffice import notify
from backoffice.notify import sender
from models import Citizen, Officer, Outbox, database
from models.timeutil import utcnow

LINK = re.compile(r"http://\S+/reset-password/[\w\-]+")


def send(app, now=None):
    """One run of `mail send` in this process, at `now` (default: the present)."""
    with app.app_context(), database.connection_context():
        return sender.send_due(now)


def later(minutes):
    return utcnow() + datetime.timedelta(minutes=minutes)


def tell(app, person, template, **context):
    with app.app_context(), database.connection_context():
        return notify.tell(person, template, **context)


def officer(email="kavita.rani@example.gov.in", language="en", name="Kavita Rani"):
    with database.connection_context():
        return Officer.create(name=name, email=email, language=language)


def citizen(mobile="9876500001", email=None, language="hi", name="आशा देवी"):
    with database.connection_context():
        return Citizen.create(name=name, mobile=mobile, email=email, language=language)


def rows(**where):
    with database.connection_context():
        query = Outbox.select().order_by(Outbox.id)
        for name, value in where.items():
            query = query.where(getattr(Outbox, name) == value)
        return list(query)


def row(pk):
    with database.connection_context():
        return Outbox.get_by_id(pk)


def link_in(message):
    """The password link in a received mail's text part."""
    text = message.get_body(("plain",)).get_content()
    return LINK.search(text).group(0)
