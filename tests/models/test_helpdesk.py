"""Tickets (models/helpdesk.py): numbers, targets, the thread's effect on status, agents' decisions, tokens, scope."""
import datetime

import pytest

from models import (
    AuditEntry, BouncedAddress, Citizen, DomainError, HelpTicket, Holiday, TicketAttachment, TicketMessage,
    ServiceRequest, TicketParticipant, helpdesk, notifications, scope,
)
from models.timeutil import to_ist
from tests.rows import snapshot
from tests.world import build

# Tuesday 8 December 2026, 11:00 IST.
OPENED = datetime.datetime(2026, 12, 8, 5, 30)
KEY = "test-secret"


@pytest.fixture
def world(db):
    return build()


@pytest.fixture
def citizen(db):
    return Citizen.create(email="asha@example.in", name="Asha Devi")


def ticket_of(citizen, subject="Ration card", text="Where is my card?", **fields):
    return helpdesk.open_ticket(citizen, subject, text, now=OPENED, **fields)


def test_a_tracking_number_links_only_for_the_requests_citizen_or_an_officer_who_sees_it(world, citizen):
    """Else anyone could put his mail before a request's administrators by typing its number."""
    request = world.requests["ULB", "HSR"]
    text = f"About {request.tracking_number}"
    own = Citizen.get_by_id(request.citizen_id)
    own.email = "owner@example.in"
    own.save()
    before = snapshot([ServiceRequest])
    assert ticket_of(citizen, text=text).request is None  # another citizen
    assert ticket_of(None, text=text, channel="email").request is None  # a sender who cannot be known
    assert ticket_of(world.tehsildar_amb, text=text).request is None  # an officer who does not see it
    # The request's citizen's address, but mail from another: not him.
    assert ticket_of(own, text=text, channel="email", sender_address="someone@evil.example").request is None
    assert snapshot([ServiceRequest]) == before
    assert ticket_of(own, text=text, channel="email", sender_address="owner@example.in").request == request
    assert ticket_of(world.eo_hsr, text=text).request == request


def test_a_ticket_has_a_number_to_read_out_and_its_first_message(citizen):
    ticket = ticket_of(citizen, channel="app")
    assert ticket.number.startswith("JS-") and len(ticket.number) == 9 and ticket.number[3:].isdigit()
    assert (ticket.status, ticket.priority, ticket.channel, ticket.requester) == ("new", "normal", "app", citizen)
    [message] = ticket.messages
    assert (message.kind, message.body_text, message.subject) == ("inbound", "Where is my card?", "Ration card")


def test_a_taken_number_is_drawn_again(citizen, monkeypatch):
    draws = iter([204814, 204814, 500])
    monkeypatch.setattr(helpdesk.secrets, "randbelow", lambda n: next(draws))
    assert [ticket_of(citizen).number for _ in range(2)] == ["JS-304814", "JS-100500"]


def test_targets_run_on_the_clock_by_priority(citizen):
    # Normal: first response in 2 working days, resolution in 7, by the state-wide calendar.
    Holiday.create(date=datetime.date(2026, 12, 10), name_en="A holiday", name_hi="एक छुट्टी")
    ticket = ticket_of(citizen)
    assert to_ist(ticket.first_response_due).strftime("%a %d %H:%M") == "Fri 11 23:59"
    assert to_ist(ticket.resolution_due).strftime("%a %d %H:%M") == "Fri 18 23:59"
    urgent = ticket_of(citizen, priority="urgent")
    assert urgent.first_response_due == OPENED + datetime.timedelta(hours=4)
    assert urgent.resolution_due == OPENED + datetime.timedelta(hours=24)


def test_the_thread_moves_the_ticket(world, citizen):
    ticket = ticket_of(citizen)
    helpdesk.add_note(ticket, world.agent, "Called the tehsil.", now=OPENED)
    assert ticket.status == "new" and ticket.first_responded_at is None
    later = OPENED + datetime.timedelta(hours=1)
    reply = helpdesk.reply(ticket, world.agent, "It is being printed.", now=later)
    assert reply.subject == f"Re: Ration card [{ticket.number}]"
    assert (ticket.status, ticket.first_responded_at) == ("waiting_on_requester", later)
    helpdesk.add_message(ticket, "inbound", "Out of office", category="auto_reply")
    assert ticket.status == "waiting_on_requester"  # machine mail never moves a ticket
    helpdesk.add_message(ticket, "inbound", "Thank you, when?")
    assert ticket.status == "open"
    helpdesk.change_status(ticket, "resolved", world.agent, now=later)
    assert (ticket.status, ticket.resolved_at) == ("resolved", later)
    helpdesk.add_message(ticket, "inbound", "It has not come.")
    assert (ticket.status, ticket.resolved_at) == ("open", None)
    helpdesk.reply(ticket, world.agent, "Sorry, again.", now=later + datetime.timedelta(hours=1))
    assert (ticket.status, ticket.first_responded_at) == ("waiting_on_requester", later)  # the first stays first


def test_only_agents_act_and_only_on_allowed_steps(world, citizen):
    ticket = ticket_of(citizen)
    for officer in (world.rev_admin, world.tehsildar_amb, None):
        with pytest.raises(DomainError) as refused:
            helpdesk.reply(ticket, officer, "No.")
        assert refused.value.code == "ticket_forbidden"
    assert not helpdesk.acts_on_tickets(world.rev_admin) and helpdesk.acts_on_tickets(world.state)
    with pytest.raises(DomainError) as refused:
        helpdesk.change_status(ticket, "new", world.agent)
    assert refused.value.code == "ticket_status_not_allowed"
    helpdesk.change_status(ticket, "closed", world.agent)
    with pytest.raises(DomainError):
        helpdesk.change_status(ticket, "resolved", world.agent)
    with pytest.raises(DomainError) as refused:
        helpdesk.reply(ticket, world.agent, "  ")
    assert refused.value.code == "ticket_reply_empty"
    assert AuditEntry.select().where(AuditEntry.model_name == "help_ticket").count() == 1


def test_assigning_prioritising_and_linking(world, citizen):
    ticket = ticket_of(citizen)
    helpdesk.assign(ticket, world.agent, world.state)
    assert HelpTicket.get_by_id(ticket.id).assigned_agent == world.agent
    with pytest.raises(DomainError) as refused:
        helpdesk.assign(ticket, world.rev_admin, world.agent)
    assert refused.value.code == "ticket_assignee_not_agent"
    helpdesk.set_priority(ticket, "urgent", world.agent)
    assert ticket.first_response_due == OPENED + datetime.timedelta(hours=4)
    request = world.requests["REV", "AMB"]
    # Read the Crockford way: lower case, O for 0, I or L for 1, spaces.
    prefix, body = request.tracking_number[:8], request.tracking_number[8:]
    typed = prefix.lower().replace("-", " ") + body.lower().replace("0", "o").replace("1", "l")
    helpdesk.link_request(ticket, typed, world.agent)
    assert ticket.request == request
    with pytest.raises(DomainError):
        helpdesk.link_request(ticket, "HR-2026-ZZZZ-ZZZZ", world.agent)
    helpdesk.link_request(ticket, "", world.agent)
    assert ticket.request is None


def test_a_tracking_number_in_a_message_links_the_ticket(world, citizen):
    request = world.requests["ULB", "HSR"]
    ServiceRequest.update(citizen=citizen).where(ServiceRequest.id == request.id).execute()
    ticket = ticket_of(citizen, text=f"My number is {request.tracking_number.lower()} please check.")
    assert ticket.request == request
    unlinked = ticket_of(citizen, text="HR-2026-ZZZZ-ZZZZ is not a request; neither is XHR-2026-AAAA-BBBB")
    assert unlinked.request is None


def test_due_and_overdue(world, citizen):
    ticket = ticket_of(citizen, priority="urgent")
    assert helpdesk.next_target(ticket, OPENED) == ("first_response", ticket.first_response_due, False)
    late = OPENED + datetime.timedelta(hours=5)
    assert helpdesk.next_target(ticket, late) == ("first_response", ticket.first_response_due, True)
    assert helpdesk.counts(HelpTicket.select(), late) == {
        "open": 2, "first_response_overdue": 1, "resolution_overdue": 0}  # and the world's ticket
    assert list(HelpTicket.select().where(helpdesk.overdue(late))) == [ticket]
    helpdesk.reply(ticket, world.agent, "On it.", now=late)
    assert helpdesk.next_target(ticket, late)[0::2] == ("resolution", False)
    assert helpdesk.counts(HelpTicket.select(), late + datetime.timedelta(days=2))["resolution_overdue"] == 1
    helpdesk.change_status(ticket, "resolved", world.agent)
    assert helpdesk.next_target(ticket) is None
    assert helpdesk.counts(scope.rows(world.rev_admin, HelpTicket), late)["open"] == 1


def test_tokens_are_signed(citizen):
    ticket = ticket_of(citizen)
    token = helpdesk.thread_token(ticket, KEY)
    assert helpdesk.ticket_for_tokens([f"<{token}.abc@jansahayak.example>"], KEY) == ticket
    assert helpdesk.ticket_for_tokens([f"<{token.upper()}.abc@x>"], KEY) == ticket  # case folded on the way
    assert helpdesk.ticket_for_tokens([f"<{token}.abc@x>"], "another key") is None
    forged = f"t{ticket.id}.{'0' * 16}"
    assert helpdesk.ticket_for_tokens([forged, f"x{token}"], KEY) is None
    assert helpdesk.reply_address("Help <help@jansahayak.example>", token) == \
        f"Help <help+{token}@jansahayak.example>"


def test_participants(world, citizen):
    ticket = ticket_of(citizen)
    assert helpdesk.participates(ticket, "asha@example.in")
    assert not helpdesk.participates(ticket, "ravi@example.in")
    helpdesk.add_participant(ticket, " Ravi@Example.in ", world.agent)
    assert helpdesk.participates(ticket, "ravi@example.in")
    assert helpdesk.add_participant(ticket, "asha@example.in") is None
    with pytest.raises(DomainError):
        helpdesk.add_participant(ticket, "ravi", world.agent)


def test_the_bounce_list(citizen):
    notifications.mark_bounced(" Asha@Example.in", status="5.1.1", diagnostic="unknown user")
    notifications.mark_bounced("asha@example.in", status="5.2.2")
    assert notifications.bounce_for("ASHA@example.in").status == "5.2.2"
    assert notifications.clear_bounce("asha@example.in") == 1
    assert notifications.bounce_for("asha@example.in") is None


def test_who_sees_what(world, citizen):
    linked = HelpTicket.get(HelpTicket.number == "JS-000001")  # the world's, on a Revenue request in Hisar
    message = helpdesk.add_message(linked, "inbound", "Hello", attachments=[("a.pdf", "application/pdf", b"%PDF", 4)])
    helpdesk.add_participant(linked, "ravi@example.in")
    mine = ticket_of(citizen)
    system = helpdesk.add_message(None, "inbound", "Out of office", category="auto_reply")
    notifications.mark_bounced("gone@example.in")
    everything = {HelpTicket: {linked, mine}, TicketMessage: {message, mine.messages[0], system},
                  TicketAttachment: set(TicketAttachment.select()), TicketParticipant: set(TicketParticipant.select()),
                  BouncedAddress: set(BouncedAddress.select())}
    for model, rows in everything.items():
        assert set(scope.rows(world.agent, model)) == rows
        assert set(scope.rows(world.state, model)) == rows
    assert set(scope.rows(world.rev_admin, HelpTicket)) == {linked}
    assert set(scope.rows(world.rev_admin, TicketMessage)) == {message}
    assert set(scope.rows(world.rev_admin, TicketParticipant)) == everything[TicketParticipant]
    for model in (TicketAttachment, BouncedAddress):
        assert set(scope.rows(world.rev_admin, model)) == set()
    # Read-only for administrators; the officer working the request, and the other district, see none of it.
    assert set(scope.rows(world.rev_admin, HelpTicket, "edit")) == set()
    for officer in (world.eo_hsr, world.amb_admin, world.counter, world.nobody):
        assert all(set(scope.rows(officer, model)) == set() for model in everything), officer
    assert scope.offers(world.agent, BouncedAddress, "delete") and not scope.offers(world.agent, TicketMessage, "edit")


def test_merging_a_duplicate(world, citizen):
    kept = ticket_of(citizen)
    duplicate = ticket_of(Citizen.create(email="ravi@example.in"), "Ration card again", "Still waiting")
    helpdesk.reply(duplicate, world.agent, "We are looking into it.", now=OPENED)
    before = snapshot()
    for officer in (world.rev_admin, world.tehsildar_amb, None):
        with pytest.raises(DomainError) as refused:
            helpdesk.merge(duplicate, kept, officer)
        assert refused.value.code == "ticket_forbidden"
    with pytest.raises(DomainError) as refused:
        helpdesk.merge(kept, kept, world.agent)
    assert refused.value.code == "ticket_merge_same"
    assert snapshot() == before
    helpdesk.merge(duplicate, kept, world.agent, now=OPENED)
    kept, duplicate = HelpTicket.get_by_id(kept.id), HelpTicket.get_by_id(duplicate.id)
    assert (duplicate.status, duplicate.merged_into, helpdesk.live(duplicate)) == ("closed", kept, kept)
    assert kept.first_responded_at == OPENED and helpdesk.participates(kept, "ravi@example.in")
    assert [m.ticket_id for m in TicketMessage.select()] == [kept.id] * 3
    # A merged ticket is done with: no answer, note, status or second merge on it.
    another = ticket_of(citizen)
    before = snapshot()
    for act in (lambda: helpdesk.reply(duplicate, world.agent, "Hello"),
                lambda: helpdesk.add_note(duplicate, world.agent, "Hello"),
                lambda: helpdesk.change_status(duplicate, "open", world.agent),
                lambda: helpdesk.merge(duplicate, another, world.agent)):
        with pytest.raises(DomainError) as refused:
            act()
        assert refused.value.code == "ticket_merge_merged"
    assert snapshot() == before
