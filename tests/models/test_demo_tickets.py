"""The demo's help-desk tickets (models/demo_tickets.py): how many, threads that tell their status, and removal."""
import datetime
import hashlib
import re

import pytest

from peewee import JOIN

from models import (
    Citizen, DomainError, HelpTicket, Officer, ServiceRequest, TicketMessage, catalogue_file, clock, database, demo,
    demo_tickets, helpdesk, migrate, open_database,
)
from models.holidays import calendar_for
from models.notifications import Outbox

TODAY = datetime.date(2025, 6, 2)
UNTIL = clock.ist_day_start(TODAY)
COUNT = 300


@pytest.fixture
def catalogued(catalogue):
    with database.connection_context():
        yield


def load(**kwargs):
    return demo.load(**{"requests": COUNT, "password_hash": "hash", "today": TODAY, **kwargs})


def thread(ticket):
    return list(TicketMessage.select().where(TicketMessage.ticket == ticket).order_by(TicketMessage.created_at,
                                                                                      TicketMessage.id))


def digest():
    rows = (HelpTicket.select(HelpTicket.number, HelpTicket.subject, HelpTicket.status, HelpTicket.created_at,
                              ServiceRequest.tracking_number, Citizen.mobile)
            .join(ServiceRequest, on=HelpTicket.request == ServiceRequest.id, join_type=JOIN.LEFT_OUTER)
            .switch(HelpTicket).join(Citizen).order_by(HelpTicket.number).tuples())
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_one_ticket_per_ten_requests_with_three_messages_each(catalogued):
    report = load()

    assert report.tickets == HelpTicket.select().count() == COUNT // demo_tickets.TICKETS_PER_REQUEST
    assert report.messages == TicketMessage.select().count() == 3 * report.tickets
    assert HelpTicket.select().where(HelpTicket.demo == False).count() == 0  # noqa: E712
    assert len({t.number for t in HelpTicket.select()}) == report.tickets
    assert all(re.fullmatch(r"JS-\d{6}", t.number) for t in HelpTicket.select())
    linked = HelpTicket.select().where(HelpTicket.request.is_null(False)).count()
    assert 0 < linked < report.tickets


def test_every_thread_tells_its_tickets_status(catalogued):
    load()
    calendar = calendar_for(None, start=TODAY - demo.WINDOW_DAYS * demo.DAY)
    agents = {o.id for o in Officer.select().where(Officer.email.startswith("helpdesk-"))}
    stories = {"new": ("inbound", "inbound", "note"), "waiting_on_requester": ("inbound", "note", "outbound"),
               "open": ("inbound", "outbound", "inbound"), "resolved": ("inbound", "outbound", "inbound"),
               "closed": ("inbound", "outbound", "inbound")}
    for ticket in HelpTicket.select():
        messages = thread(ticket)
        assert tuple(m.kind for m in messages) == stories[ticket.status], ticket.number
        assert ticket.requester_citizen.demo and ticket.channel == "app"
        if ticket.request_id:
            assert ticket.request.citizen_id == ticket.requester_citizen_id
            assert ticket.request.tracking_number in ticket.subject
            assert ticket.created_at >= ticket.request.submitted_at
        assert ticket.created_at == messages[0].created_at and messages[-1].created_at < UNTIL
        outbound = [m.created_at for m in messages if m.kind == "outbound"]
        assert ticket.first_responded_at == (outbound[0] if outbound else None)
        assert (ticket.resolved_at is not None) == (ticket.status in helpdesk.DONE)
        if ticket.resolved_at:
            assert messages[-1].created_at <= ticket.resolved_at < UNTIL
        assert (ticket.first_response_due, ticket.resolution_due) == helpdesk.dues(ticket.priority,
                                                                                 ticket.created_at, calendar)
        assert all(m.author_officer_id in agents for m in messages if m.kind != "inbound")
        assert all(m.author_officer_id is None for m in messages if m.kind == "inbound")


def test_the_same_seed_gives_the_same_tickets_in_another_database(catalogue, tmp_path):
    with database.connection_context():
        load()
        first = digest()

    open_database(f"sqlite:///{tmp_path / 'second.db'}")
    with database.connection_context():
        migrate.upgrade()
        catalogue_file.load()
        load()
        assert digest() == first
        demo.remove()
        load(seed=demo.SEED + 1)
        assert digest() != first


def test_remove_takes_the_tickets_with_their_replies_and_mail_and_leaves_the_rest(catalogued):
    citizen = Citizen.create(mobile="9812345678", name="Real Citizen")
    load(requests=50)
    real = helpdesk.open_ticket(citizen, "My own question", "Please help.")
    ticket = HelpTicket.get(HelpTicket.demo == True)  # noqa: E712
    agent = Officer.get(Officer.email == f"helpdesk-1@{demo.EMAIL_DOMAIN}")
    # Worked after the load: an agent's reply and the mail it queued go with the ticket.
    helpdesk.reply(ticket, agent, "We are looking into it.")
    Outbox.create(channel="sms", address="9999000001", language="en", template="", body_text="About your ticket",
                  about_ticket=ticket)

    removed = demo.remove()

    assert removed["tickets"] == 5 and removed["ticket messages"] == 16
    assert list(HelpTicket.select()) == [real]
    assert [m.body_text for m in TicketMessage.select()] == ["Please help."]
    assert not Outbox.select().where(Outbox.about_ticket.is_null(False)).exists()
    assert not demo.loaded()


def test_remove_refuses_while_a_ticket_outside_the_demo_names_a_demo_request(catalogued):
    load(requests=10)
    request = ServiceRequest.select().first()
    ticket = helpdesk.open_ticket(Citizen.create(mobile="9812345678"), "About a request", "Please look.")
    HelpTicket.update(request=request).where(HelpTicket.id == ticket.id).execute()  # as an agent links it

    with pytest.raises(DomainError) as refused:
        demo.remove()
    assert refused.value.code == "demo_in_use"
    assert HelpTicket.select().where(HelpTicket.demo == True).count() == 1  # noqa: E712
