"""Helpers for the help desk's tests (tests/backoffice/test_helpdesk_*.py, test_admin_helpdesk.py)."""
import re
from email.header import Header
from pathlib import Path

from backoffice import helpdesk
from backoffice.helpdesk import ingest as ingest_module
from models import Citizen, Department, District, Officer, Outbox, Service, ServiceRequest, database
from tests.conftest import make_officer

MAIL = Path(__file__).resolve().parent.parent / "data" / "mail"
HELP = "help@jansahayak.example"


def corpus(name):
    return (MAIL / name).read_bytes()


def ingest(app, raw):
    with app.app_context(), database.connection_context():
        return ingest_module.ingest(raw)


def reply(app, ticket, agent, text):
    with app.app_context(), database.connection_context():
        return helpdesk.reply(ticket, agent, text)


def agent():
    """The help-desk agent, made the first time."""
    with database.connection_context():
        existing = Officer.get_or_none(Officer.email == "agent@jansahayak.example")
    return existing or make_officer("agent@jansahayak.example", "helpdesk_agent")


def request_numbered(number):
    """A citizen's request with this tracking number, in a catalogue of one service; the citizen is the
    sender of the corpus's Hindi mail (ramesh.k@example.in), whose number in it links his ticket."""
    with database.connection_context():
        district = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
        department = Department.create(code="FS", name_en="Food and Supplies", name_hi="खाद्य एवं आपूर्ति")
        service = Service.create(code="FS-RC", name_en="Ration card", name_hi="राशन कार्ड", department=department,
                                 category="certificates", tat_value=7, tat_unit="working_days", status="published")
        citizen = Citizen.create(mobile="9876500009", name="Ramesh Kumar", email="ramesh.k@example.in")
        return ServiceRequest.create(tracking_number=number, citizen=citizen, service=service, district=district)


def outbox():
    with database.connection_context():
        return list(Outbox.select().order_by(Outbox.id))


def answer(message, text, subject=None, keep_references=True, sender=None):
    """What a mail client sends when its user answers `message` (as the SMTP server received it).

    `keep_references` False: a client that keeps only the subject (no In-Reply-To,
    no References) and writes to the From address, not to Reply-To.
    """
    headers = [
        f"From: {sender or message['To']}",
        f"To: {message['Reply-To'] if keep_references else HELP}",
        f"Subject: {subject or 'Re: ' + message['Subject']}",
        f"Message-ID: <answer-{abs(hash((text, subject)))}@mail.example.in>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    if keep_references:
        headers += [f"In-Reply-To: {message['Message-ID']}", f"References: {message['Message-ID']}"]
    headers = [_encoded(line) for line in headers]
    return ("\r\n".join(headers) + "\r\n\r\n" + text + "\r\n").encode()


def _encoded(line):
    name, _, value = line.partition(": ")
    return line if value.isascii() else f"{name}: {Header(value, 'utf-8').encode()}"


def ticket_page(client, ticket_id, **args):
    query = "".join(f"&{name}={value}" for name, value in args.items())
    return client.get(f"/admin/ticket/details/?id={ticket_id}{query}")


def act(client, ticket_id, action, **data):
    """Post one of the ticket screen's forms (reply, note, status, ...) as its page gives it: token and version."""
    page = ticket_page(client, ticket_id).get_data(as_text=True)
    token, version = _FORM_TOKEN.search(page).group(1), _VERSION.search(page).group(1)
    return act_as_of(client, ticket_id, action, token, version, **data)


def act_as_of(client, ticket_id, action, token, version, **data):
    """The same, with the token and version of a page read earlier."""
    return client.post(f"/admin/ticket/{action}/?id={ticket_id}",
                        data={"csrf_token": token, "version": version, **data}, follow_redirects=True)


_FORM_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="([^"]+)"')
