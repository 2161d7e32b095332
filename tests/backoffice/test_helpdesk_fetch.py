"""The help mailbox over IMAP (backoffice/helpdesk/fetch.py, `helpdesk fetch`), against a real dovecot."""
import pytest

from backoffice.helpdesk import fetch as fetch_module
from models import HelpTicket, TicketMessage, database, helpdesk, helpdesk_mail
from tests.backoffice.helpdesk_support import HELP, agent, answer, corpus, outbox, reply, request_numbered
from tests.backoffice.notify_support import send
from tests.imap_server import CuttingProxy


def message(n, sender="asha@example.in", subject=None):
    return (f"From: Asha <{sender}>\r\nTo: {HELP}\r\nSubject: {subject or f'Question {n}'}\r\n"
            f"Message-ID: <q{n}@example.in>\r\n\r\nQuestion number {n}.\r\n").encode()


def fetch(app):
    with app.app_context(), database.connection_context():
        return dict(fetch_module.fetch())


def fetch_command(app):
    return app.test_cli_runner().invoke(args=["helpdesk", "fetch"])


def tickets():
    with database.connection_context():
        return list(HelpTicket.select().order_by(HelpTicket.id))


def test_fetch_stores_each_message_once_and_flags_it(app, mailbox):
    mailbox.append(*(message(n) for n in range(3)))
    result = fetch_command(app)
    assert result.exit_code == 0, result.output
    assert result.output == "3 new ticket(s), 0 added to tickets, 0 system mail, 0 seen before\n"
    assert all({"\\Seen", fetch_module.DONE} <= flags for flags in mailbox.flags().values())
    mailbox.append(message(3))
    assert fetch(app) == {"new": 1}
    assert fetch(app) == {}
    assert len(tickets()) == 4


def test_fetch_can_move_what_it_stored(app, mailbox):
    app.config["HELPDESK_IMAP_DONE_FOLDER"] = "Stored"
    mailbox.append(message(1), corpus("hindi/03-out-of-office-auto-reply.eml"))
    assert fetch(app) == {"new": 1, "system": 1}
    assert mailbox.flags() == {} and len(mailbox.flags("Stored")) == 2


@pytest.mark.parametrize("cut_on, after, first_run, second_run", [
    # The line dies while the second message is on its way: it is fetched again next time.
    (b"UID FETCH 2 ", 60, {"new": 1}, {"new": 2}),
    # It dies after the first message was stored, before it was flagged: seen again, stored once.
    (b"UID STORE 1 ", None, {"new": 1}, {"duplicate": 1, "new": 2}),
])
def test_a_connection_dropped_mid_batch_loses_and_duplicates_nothing(app, mailbox, cut_on, after, first_run,
                                                                     second_run):
    proxy = CuttingProxy(app.config["HELPDESK_IMAP_PORT"])
    app.config["HELPDESK_IMAP_PORT"] = proxy.port
    mailbox.append(*(message(n) for n in range(1, 4)))
    proxy.cut(cut_on, after)
    with pytest.raises(fetch_module.FetchError) as stopped:
        fetch(app)
    assert proxy.cuts == 1 and dict(stopped.value.counts) == first_run
    assert fetch(app) == second_run
    proxy.close()
    with database.connection_context():
        assert sorted(m.message_id for m in TicketMessage.select()) == ["<q1@example.in>", "<q2@example.in>",
                                                                       "<q3@example.in>"]
    assert len(tickets()) == 3 and all(fetch_module.DONE in flags for flags in mailbox.flags().values())


def test_a_mailbox_that_cannot_be_read_is_reported(app, mailbox):
    app.config["HELPDESK_IMAP_PASSWORD"] = "wrong"
    refused = fetch_command(app)
    assert refused.exit_code == 1
    assert "0 new ticket(s)" in refused.output and "stopped: help mailbox 127.0.0.1:" in refused.output
    app.config["HELPDESK_IMAP_HOST"] = None
    assert "HELPDESK_IMAP_HOST is not set" in fetch_command(app).output


def test_a_hindi_mail_answered_from_a_client_that_keeps_only_the_subject(app, mailbox, smtp):
    """Issue 8's acceptance: mail in, ticket, reply out, the answer back on the same ticket; machines get nothing."""
    app.config["HELPDESK_REPLY_TO"] = HELP
    request = request_numbered("HR-2020-AB12-CD34")
    mailbox.append(corpus("hindi/01-subject-split-mid-character.eml"))
    assert fetch(app) == {"new": 1}
    [ticket] = tickets()
    assert (ticket.subject, ticket.request) == ("मेरा राशन कार्ड अभी तक नहीं मिला", request)

    reply(app, ticket, agent(), "आपका राशन कार्ड छप गया है, अगले सप्ताह डाक से मिलेगा।")
    assert send(app)["sent"] == 2  # the acknowledgement, and the reply
    [acknowledgement, answered] = smtp.to("ramesh.k@example.in")
    assert acknowledgement["Auto-Submitted"] == "auto-generated"
    assert answered["Subject"] == f"Re: मेरा राशन कार्ड अभी तक नहीं मिला [{ticket.number}]"
    assert "अगले सप्ताह" in answered.get_body(("plain",)).get_content()

    # His mail client keeps neither In-Reply-To nor References, and writes to the help address itself.
    mailbox.append(answer(answered, "धन्यवाद, मिलते ही बताऊँगा।", keep_references=False))
    assert fetch(app) == {"added": 1}
    with database.connection_context():
        ticket = HelpTicket.get_by_id(ticket.id)
        latest = ticket.messages.order_by(TicketMessage.id.desc()).first()
        assert (latest.body_text, latest.threaded_by, ticket.status) == ("धन्यवाद, मिलते ही बताऊँगा।", "subject", "open")

    # An out-of-office reply to our reply, and a bounce, cause no mail at all.
    sent_before = len(smtp.received)
    ooo = answer(answered, "I am away.", subject=f"Automatic reply: {answered['Subject']}").replace(
        b"MIME-Version", b"Auto-Submitted: auto-replied\r\nMIME-Version")
    mailbox.append(ooo, corpus("hindi/03-out-of-office-auto-reply.eml"), corpus("hindi/04-bounce-dsn.eml"))
    assert fetch(app) == {"added": 1, "system": 2}
    assert send(app) == {} and len(smtp.received) == sent_before
    assert len(tickets()) == 1 and tickets()[0].status == "open"
    assert [row.template for row in outbox()] == ["helpdesk_ticket_received", ""]
    with database.connection_context():
        assert [m.category for m in helpdesk_mail.system_mail()] == ["bounce", "auto_reply"]
        assert helpdesk.participates(ticket, "ramesh.k@example.in")
