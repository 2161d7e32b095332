"""Agents' replies (backoffice/helpdesk/__init__.py): through the outbox to a real SMTP server, never to a bounced address."""
import pytest

from models import Citizen, DomainError, Outbox, TicketMessage, database, helpdesk, notifications
from tests.backoffice.helpdesk_support import HELP, agent, outbox, reply
from tests.backoffice.notify_support import later, send


@pytest.fixture
def ticket(app):
    with database.connection_context():
        citizen = Citizen.create(name="आशा देवी", email="asha@example.in", mobile="9876500001")
        return helpdesk.open_ticket(citizen, "राशन कार्ड", "कब मिलेगा?", channel="app")


def test_a_reply_goes_by_mail_answerable_to_the_ticket(app, smtp, ticket):
    app.config["HELPDESK_REPLY_TO"] = f"Jansahayak Help <{HELP}>"
    message = reply(app, ticket, agent(), "आपका कार्ड छप रहा है।")
    assert send(app)["sent"] == 1
    [mail] = smtp.to("asha@example.in")
    token = helpdesk.thread_token(ticket, app.config["SECRET_KEY"])
    assert mail["Subject"] == f"Re: राशन कार्ड [{ticket.number}]"
    assert mail["Message-ID"].strip() == message.message_id and message.message_id.startswith(f"<{token}.")
    assert mail["Reply-To"] == f"Jansahayak Help <help+{token}@jansahayak.example>"
    assert mail["Auto-Submitted"] is None  # a person's words: an out-of-office may answer them
    assert mail.get_body(("plain",)).get_content().strip() == "आपका कार्ड छप रहा है।"
    assert [row.channel for row in outbox()] == ["email"]  # never by SMS
    with database.connection_context():
        stored = TicketMessage.get_by_id(message.id)
        assert (stored.kind, stored.ticket.status, stored.ticket.first_responded_at is not None) == (
            "outbound", "waiting_on_requester", True)


def test_no_mail_to_an_address_that_bounced_until_it_is_cleared(app, smtp, ticket):
    with database.connection_context():
        notifications.mark_bounced("ASHA@example.in", status="5.1.1")
    reply(app, ticket, agent(), "Your card is ready.")
    assert send(app)["failed"] == 1 and smtp.received == []
    [row] = outbox()
    assert row.status == "failed" and "mail to asha@example.in bounced (5.1.1)" in row.last_error
    with database.connection_context():
        notifications.clear_bounce("asha@example.in")
        notifications.retry(Outbox.get_by_id(row.id))
    assert send(app, later(1))["sent"] == 1 and len(smtp.to("asha@example.in")) == 1


def test_without_an_address_the_reply_stays_on_the_thread(app, smtp):
    with database.connection_context():
        app_user = helpdesk.open_ticket(Citizen.create(mobile="9876500002"), "Pension", "When?", channel="app")
        unknown = helpdesk.open_ticket(None, "?", "Who am I?", channel="email")
    for ticket in (app_user, unknown):
        message = reply(app, ticket, agent(), "Answered in the app.")
        assert message.message_id is None
    assert outbox() == []


def test_a_refused_reply_queues_nothing(app, ticket):
    from tests.conftest import make_officer
    administrator = make_officer("admin@jansahayak.example", "district_admin")
    for officer, text, code in ((administrator, "No.", "ticket_forbidden"), (agent(), " ", "ticket_reply_empty")):
        with pytest.raises(DomainError) as refused:
            reply(app, ticket, officer, text)
        assert refused.value.code == code
    assert outbox() == []
