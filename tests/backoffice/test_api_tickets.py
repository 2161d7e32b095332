"""The app's help option: a citizen or an officer raises a ticket, lists and reads his own, and replies."""
import logging

import pytest

from backoffice import helpdesk as helpdesk_mail_out, workflow
from models import Citizen, HelpTicket, Outbox, TicketMessage, database, helpdesk
from tests.backoffice.api_support import citizen_token, officer_token, ok, operation
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD, make_officer
from tests.rows import snapshot

MINE, THEIRS = "9812300001", "9812300002"
MY_TICKETS, READ, RAISE, REPLY = (operation(name) for name in ("MyTickets", "ReadTicket", "RaiseTicket",
                                                                 "ReplyToTicket"))


def run(app, step):
    with app.app_context(), database.connection_context():
        return step()


def file(app, w, mobile=MINE):
    def step():
        citizen, _ = Citizen.get_or_create(mobile=mobile, defaults={"name": "Ram Lal", "language": "en"})
        return workflow.file_request(w.service, citizen, w.amb, area=w.tehsil)
    return run(app, step)


def state():
    with database.connection_context():
        return snapshot()


@pytest.fixture
def token(client, w):
    with database.connection_context():
        Citizen.create(mobile=MINE, name="Ram Lal", language="en")
    return citizen_token(client, MINE)


@pytest.fixture
def agent(app):
    return make_officer("agent@example.gov.in", "helpdesk_agent")


def raise_ticket(client, token, language=None, **variables):
    variables = {"subject": "Certificate delayed", "text": "My certificate has not come.", "trackingNumber": None,
                 **variables}
    return ok(client, RAISE, token, language, **variables)["raiseTicket"]


def answer(app, number, agent, text):
    """The agent's reply from the admin's path (backoffice.helpdesk.reply): on the thread, and by mail if he has one."""
    def step():
        return helpdesk_mail_out.reply(HelpTicket.get(HelpTicket.number == number), agent, text)
    return run(app, step)


def test_a_citizen_raises_a_ticket_about_his_request_and_reads_the_answer(app, client, w, token, agent):
    request = file(app, w)
    typed = request.tracking_number.lower().replace("-", " ")
    raised = raise_ticket(client, token, trackingNumber=typed)
    assert raised["__typename"] == "Ticket" and raised["number"].startswith("JS-")
    assert raised["status"] == "NEW" and raised["trackingNumber"] == request.tracking_number
    with database.connection_context():
        ticket = HelpTicket.get(HelpTicket.number == raised["number"])
        assert ticket.channel == "app" and ticket.requester_citizen.mobile == MINE and ticket.request_id == request.id
    answer(app, raised["number"], agent, "It is signed; it comes tomorrow.")
    run(app, lambda: helpdesk.add_note(HelpTicket.get(HelpTicket.number == raised["number"]), agent,
                                       "Called the tehsil: the clerk was on leave."))
    read = ok(client, READ, token, number=raised["number"].lower())["myTicket"]
    assert read["status"] == "WAITING_ON_REQUESTER" and read["statusLabel"] == "Waiting on requester"
    assert [(m["by"], m["text"]) for m in read["thread"]] == [
        ("ME", "My certificate has not come."), ("HELP_DESK", "It is signed; it comes tomorrow.")]
    # He has no e-mail address: the answer is read in the app only.
    with database.connection_context():
        assert not Outbox.select().where(Outbox.channel == "email").exists()


def test_his_reply_opens_the_ticket_again(app, client, w, token, agent):
    raised = raise_ticket(client, token)
    answer(app, raised["number"], agent, "Which request is it?")
    replied = ok(client, REPLY, token, number=raised["number"], text="HR-2026 ... the one from Monday.")
    assert replied["replyToTicket"]["status"] == "OPEN"
    thread = ok(client, READ, token, number=raised["number"])["myTicket"]["thread"]
    assert [m["by"] for m in thread] == ["ME", "HELP_DESK", "ME"]


def test_my_tickets_are_mine_only_newest_first_in_pages(app, client, w, token):
    numbers = [raise_ticket(client, token, subject=f"Question {i}")["number"] for i in range(3)]
    other = citizen_token(client, THEIRS)
    raise_ticket(client, other)
    seen, after = [], None
    while True:
        page = ok(client, MY_TICKETS, token, first=2, after=after)["myTickets"]
        assert page["totalCount"] == 3
        seen += [edge["node"]["number"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == numbers[::-1]


def test_another_persons_ticket_is_not_found_and_not_touched(app, client, w, token):
    theirs = raise_ticket(client, citizen_token(client, THEIRS))
    assert ok(client, READ, token, number=theirs["number"]) == {"myTicket": None}
    before = state()
    refusal = ok(client, REPLY, token, number=theirs["number"], text="Me too")["replyToTicket"]
    assert refusal == {"__typename": "Problem", "code": "ticket_unknown",
                       "message": f"There is no ticket {theirs['number']}."}
    assert state() == before


def test_a_ticket_about_another_citizens_request_is_refused_and_nothing_changes(app, client, w, token):
    theirs = file(app, w, mobile=THEIRS)
    before = state()
    refusal = raise_ticket(client, token, trackingNumber=theirs.tracking_number)
    assert refusal["code"] == "request_not_found"
    assert state() == before


def test_another_citizens_number_in_his_text_is_not_shown_to_him(app, client, w, token):
    theirs = file(app, w, mobile=THEIRS)
    raised = raise_ticket(client, token, text=f"Like {theirs.tracking_number}, mine is late.")
    # Not his request: the ticket is left unlinked (an agent may link it by hand), and he is not told whose it is.
    with database.connection_context():
        assert HelpTicket.get(HelpTicket.number == raised["number"]).request_id is None
    assert raised["trackingNumber"] is None


@pytest.mark.parametrize("subject, text", [("", "Help"), ("Help", "   ")])
def test_an_empty_ticket_is_refused_in_his_language_and_nothing_changes(client, w, token, subject, text):
    before = state()
    refusal = raise_ticket(client, token, "hi", subject=subject, text=text)
    assert refusal["code"] == "ticket_incomplete" and refusal["message"] == "टिकट का विषय दें और अपना प्रश्न लिखें।"
    assert state() == before


def test_an_empty_reply_is_refused_and_nothing_changes(client, w, token):
    raised = raise_ticket(client, token)
    before = state()
    assert ok(client, REPLY, token, number=raised["number"], text=" ")["replyToTicket"]["code"] == "ticket_reply_empty"
    assert state() == before


def test_a_reply_to_a_merged_ticket_is_refused_and_nothing_changes(app, client, w, token, agent):
    first, second = raise_ticket(client, token), raise_ticket(client, token)
    run(app, lambda: helpdesk.merge(HelpTicket.get(HelpTicket.number == first["number"]),
                                    HelpTicket.get(HelpTicket.number == second["number"]), agent))
    before = state()
    refusal = ok(client, REPLY, token, number=first["number"], text="Any news?")["replyToTicket"]
    assert refusal["code"] == "ticket_merge_merged" and second["number"] in refusal["message"]
    assert state() == before


def test_a_district_administrator_raises_a_ticket_from_the_app(app, client, w, agent):
    token = officer_token(client, w.amb_admin.email, PASSWORD)
    request = file(app, w)
    raised = raise_ticket(client, token, subject="Routing looks wrong", trackingNumber=request.tracking_number)
    assert raised["status"] == "NEW" and raised["trackingNumber"] == request.tracking_number
    with database.connection_context():
        ticket = HelpTicket.get(HelpTicket.number == raised["number"])
        assert ticket.requester_officer_id == w.amb_admin.id and ticket.requester_citizen_id is None
        assert TicketMessage.get(TicketMessage.ticket == ticket).sender_address == w.amb_admin.email
    answer(app, raised["number"], agent, "Fixed.")
    thread = ok(client, READ, token, number=raised["number"])["myTicket"]["thread"]
    assert [m["text"] for m in thread] == ["My certificate has not come.", "Fixed."]
    # His mail goes out through the outbox too.
    with database.connection_context():
        assert Outbox.select().where(Outbox.address == w.amb_admin.email).exists()
    assert ok(client, MY_TICKETS, citizen_token(client, MINE))["myTickets"]["totalCount"] == 0


def test_an_officer_names_only_requests_he_sees(app, client, w):
    token = officer_token(client, w.hsr_field.email, PASSWORD)
    elsewhere = file(app, w)
    before = state()
    assert raise_ticket(client, token, trackingNumber=elsewhere.tracking_number)["code"] == "request_not_found"
    assert state() == before


def test_a_page_of_his_tickets_costs_the_same_statements_for_1_and_20(app, client, w, token, caplog):
    request = file(app, w)

    def statements():
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            connection = ok(client, MY_TICKETS, token, first=50)["myTickets"]
        return connection["totalCount"], len([r for r in caplog.records if r.name == "peewee"])

    raise_ticket(client, token, trackingNumber=request.tracking_number)
    one = statements()
    for _ in range(19):
        raise_ticket(client, token, trackingNumber=request.tracking_number)
    twenty = statements()
    assert (one[0], twenty[0]) == (1, 20)
    assert one[1] == twenty[1], (one, twenty)
