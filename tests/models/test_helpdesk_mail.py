"""Filing inbound mail (models/helpdesk_mail.py): once, on the right ticket, from the right person."""
import datetime
import threading

import pytest
from peewee import OperationalError

from models import Citizen, HelpTicket, Officer, TicketMessage, database, helpdesk, helpdesk_mail, notifications
from models.helpdesk_mail import InboundMail
from models.timeutil import utcnow
from tests.rows import snapshot

KEY = "test-secret"


def mail(n=1, sender="asha@example.in", subject="Ration card", text="Where is my card?", **fields):
    raw = f"Message-ID: <m{n}@example.in>\r\nSubject: {subject}\r\n\r\n{text}\r\n".encode()
    return InboundMail(raw=fields.pop("raw", raw), message_id=fields.pop("message_id", f"<m{n}@example.in>"),
                       sender=sender, subject=subject, text=text, **fields)


def receive(inbound, now=None):
    return helpdesk_mail.receive(inbound, KEY, now)


def test_a_persons_mail_opens_a_ticket_for_the_right_requester(db):
    officer = Officer.create(name="Kavita", email="Kavita.Rani@example.gov.in")
    citizen = Citizen.create(name="Ravi", email="Ravi@Example.in", mobile="9876500001")
    assert receive(mail(1, sender="kavita.rani@example.gov.in")).ticket.requester == officer
    assert receive(mail(2, sender="ravi@example.in")).ticket.requester == citizen
    hindi = mail(3, sender="new@example.in", subject="राशन कार्ड", text="कहाँ है?")
    received = receive(hindi)
    newcomer = received.ticket.requester
    assert (newcomer.email, newcomer.name, newcomer.mobile, newcomer.language) == ("new@example.in", "", None, "hi")
    assert receive(mail(4, sender="other@example.in")).ticket.requester.language == "en"
    assert received.created and received.acknowledge and received.ticket.channel == "email"
    [message] = received.ticket.messages
    assert (message.sender_address, bytes(message.raw), message.message_id) == (
        "new@example.in", hindi.raw, "<m3@example.in>")
    unknown = receive(mail(5, sender="", sender_name="alice@example.org)<bob@example.org>"))
    assert unknown.ticket.requester is None and not unknown.acknowledge
    assert unknown.message.sender_name == "alice@example.org)<bob@example.org>"


def test_the_same_message_is_stored_once(db):
    first = receive(mail(1))
    again = receive(mail(1, raw=mail(1).raw.replace(b"Message-ID", b"Received: by mx2\r\nMessage-ID")))
    assert again.duplicate and again.message == first.message and again.ticket == first.ticket
    # Without a Message-ID: the same bytes.
    anonymous = mail(2, message_id=None)
    assert not receive(anonymous).duplicate and receive(anonymous).duplicate
    # The same Message-ID on another body is another message, kept.
    reused = receive(mail(1, text="Something else entirely"))
    assert not reused.duplicate and reused.message.message_id is None
    assert receive(mail(1, text="Something else entirely")).duplicate
    assert TicketMessage.select().count() == 3


def test_threading_most_trusted_first(db):
    ticket = receive(mail(1)).ticket
    token = helpdesk.thread_token(ticket, KEY)
    stranger = "ravi@example.in"
    by_token = receive(mail(2, sender=stranger, references=["<other@x>", f"<{token}.abc@jansahayak.example>"]))
    assert (by_token.ticket, by_token.message.threaded_by, by_token.acknowledge) == (ticket, "token", False)
    # He answered our mail, so he joins the thread: his subject tag now counts.
    assert helpdesk.participates(ticket, stranger)
    by_plus = receive(mail(3, sender="someone@example.in", recipients=f"Help <help+{token}@jansahayak.example>"))
    assert (by_plus.ticket, by_plus.message.threaded_by) == (ticket, "reply_to")
    tagged = f"Re: Ration card [{ticket.number}]"
    assert receive(mail(4, subject=tagged)).message.threaded_by == "subject"
    assert receive(mail(5, sender=stranger, subject=tagged)).ticket == ticket
    # Anyone can type a number into a subject: from anyone else, or an unknown sender, it is a new ticket.
    for n, sender in ((6, "mallory@example.in"), (7, "")):
        other = receive(mail(n, sender=sender, subject=tagged))
        assert other.created and other.ticket != ticket
    forged = receive(mail(8, sender="mallory@example.in", references=[f"<t{ticket.id}.{'f' * 16}.x@y>"]))
    assert forged.created


def test_machine_mail_never_opens_a_ticket_and_is_never_answered(db):
    ticket = receive(mail(1)).ticket
    token = helpdesk.thread_token(ticket, KEY)
    for n, category in enumerate(("auto_reply", "bulk", "bounce", "unreadable"), start=2):
        logged = receive(mail(n, category=category))
        assert (logged.ticket, logged.created, logged.acknowledge) == (None, False, False)
        on_ticket = receive(mail(n + 10, category=category, references=[f"<{token}.1@x>"]))
        assert (on_ticket.ticket, on_ticket.acknowledge) == (ticket, False)
    assert HelpTicket.select().count() == 1 and ticket.status == "new"
    assert [m.category for m in helpdesk_mail.system_mail()] == ["unreadable", "bounce", "bulk", "auto_reply"]


def test_a_bounce_puts_the_failed_address_on_the_bounce_list(db):
    ticket = receive(mail(1)).ticket
    ours = f"<{helpdesk.thread_token(ticket, KEY)}.1@x>"
    notifications.queue("email", "Asha@Example.in", "Your answer", language="en", message_id=ours)
    bounce = receive(mail(2, sender="mailer-daemon@mx.example.in", category="bounce",
                          bounced=[("asha@example.in", "5.1.1", "smtp; 550 no such user")], references=[ours]))
    listed = notifications.bounce_for("asha@example.in")
    assert (listed.status, listed.diagnostic, listed.message) == ("5.1.1", "smtp; 550 no such user", bounce.message)
    assert bounce.ticket == ticket
    # A new ticket from a bounced address is not acknowledged: the answer would only bounce.
    assert not receive(mail(3, subject="Another question")).acknowledge


@pytest.mark.parametrize("references", [
    [],  # refers to nothing of ours
    ["<someone-elses@evil.example>"],
    ["<ours-to-another@x>"],  # our mail, but it never went to the failed address
])
def test_a_forged_bounce_puts_nobody_on_the_bounce_list(db, references):
    notifications.queue("email", "sunita@example.in", "Your answer", language="en", message_id="<ours-to-another@x>")
    before = snapshot([notifications.BouncedAddress, notifications.Outbox, HelpTicket])
    forged = receive(mail(9, sender="mailer-daemon@evil.example", category="bounce",
                          bounced=[("ramesh.k@example.in", "5.1.1", "smtp; 550 no such user")], references=references))
    assert forged.ticket is None and forged.message.category == "bounce"  # kept in the system-mail log
    assert snapshot([notifications.BouncedAddress, notifications.Outbox, HelpTicket]) == before
    assert notifications.bounce_for("ramesh.k@example.in") is None


def test_acknowledgements_are_rate_limited_per_sender(db):
    now = utcnow()
    acknowledged = [receive(mail(n, subject=f"Question {n}"), now).acknowledge for n in range(5)]
    assert acknowledged == [True, True, True, False, False]
    assert receive(mail(9, sender="ravi@example.in"), now).acknowledge
    assert receive(mail(10, subject="Later"), now + helpdesk_mail.ACK_WINDOW + datetime.timedelta(seconds=1)).acknowledge


def test_two_processes_at_once_store_one_message(db, monkeypatch):
    thread = helpdesk_mail._thread

    def another_process_stores_it_first(*args):
        monkeypatch.setattr(helpdesk_mail, "_thread", thread)

        def other():
            with database.connection_context():
                helpdesk_mail.receive(mail(1), KEY)
        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        return thread(*args)

    monkeypatch.setattr(helpdesk_mail, "_thread", another_process_stores_it_first)
    try:
        received = receive(mail(1))
    except OperationalError:
        # SQLite: the other writer went first and this transaction may not follow; the
        # caller offers the message again (fetch leaves it in the mailbox, the MTA retries).
        received = receive(mail(1))
    assert received.duplicate
    assert TicketMessage.select().count() == 1 and Citizen.select().count() == 1
