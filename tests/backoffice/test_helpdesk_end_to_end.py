"""Issue 8's 'Done when', tried as a new user would: the help mailbox (a real dovecot), the commands cron runs,
the admin screens, and a real SMTP server; nothing but the CLI and HTTP in between."""
from models import HelpTicket, Outbox, TicketMessage, database, helpdesk_mail
from tests.backoffice.helpdesk_support import HELP, act, agent, answer, corpus, request_numbered, ticket_page
from tests.conftest import login
from tests.rows import snapshot


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_hindi_mail_in_an_answer_out_and_back_on_the_same_ticket_and_no_mail_for_machines(
        app, client, mailbox, smtp):
    app.config["HELPDESK_REPLY_TO"] = f"Jansahayak Help <{HELP}>"
    request = request_numbered("HR-2020-AB12-CD34")

    # A citizen writes in Hindi, his subject split mid-character between two encoded words.
    mailbox.append(corpus("hindi/01-subject-split-mid-character.eml"))
    assert run(app, "helpdesk", "fetch") == "1 new ticket(s), 0 added to tickets, 0 system mail, 0 seen before\n"

    # An agent finds it in the inbox with its subject and its request.
    assert login(client, agent().email).status_code == 302
    inbox = client.get("/admin/ticket/").get_data(as_text=True)
    with database.connection_context():
        [ticket] = HelpTicket.select()
    assert ticket.number in inbox and "मेरा राशन कार्ड अभी तक नहीं मिला" in inbox and request.tracking_number in inbox
    page = ticket_page(client, ticket.id).get_data(as_text=True)
    assert "मेरा राशन कार्ड अभी तक नहीं मिला" in page
    assert f"/admin/request/details/?id={request.id}&amp;search={request.tracking_number}" in page

    # He answers from the ticket screen; `mail send` delivers the acknowledgement and the answer.
    sent = act(client, ticket.id, "reply", text="आपका राशन कार्ड छप गया है, अगले सप्ताह डाक से मिलेगा।")
    assert "is on its way to ramesh.k@example.in by e-mail" in sent.get_data(as_text=True)
    assert run(app, "mail", "send") == "2 sent, 0 to try again later, 0 failed, 0 uncertain\n"
    [acknowledgement, answered] = smtp.to("ramesh.k@example.in")
    assert acknowledgement["Auto-Submitted"] == "auto-generated" and answered["Auto-Submitted"] is None
    assert answered["Subject"] == f"Re: मेरा राशन कार्ड अभी तक नहीं मिला [{ticket.number}]"
    assert "अगले सप्ताह डाक से मिलेगा" in answered.get_body(("plain",)).get_content()

    # His mail client keeps only the subject: no In-Reply-To, no References, to the help address itself.
    mailbox.append(answer(answered, "धन्यवाद, मिलते ही बताऊँगा।", keep_references=False))
    assert run(app, "helpdesk", "fetch") == "0 new ticket(s), 1 added to tickets, 0 system mail, 0 seen before\n"
    page = ticket_page(client, ticket.id).get_data(as_text=True)
    assert "धन्यवाद, मिलते ही बताऊँगा।" in page
    with database.connection_context():
        latest = TicketMessage.select().order_by(TicketMessage.id.desc()).first()
        assert (latest.ticket_id, latest.threaded_by, latest.sender_address) == (ticket.id, "subject",
                                                                                  "ramesh.k@example.in")
        assert HelpTicket.select().count() == 1 and HelpTicket.get_by_id(ticket.id).status == "open"
        outbox_before = snapshot([Outbox])

    # An out-of-office reply to the answer, and a bounce: stored, and no mail at all.
    received_before = len(smtp.received)
    out_of_office = answer(answered, "I am away until Monday.", subject=f"Automatic reply: {answered['Subject']}")
    out_of_office = out_of_office.replace(b"MIME-Version", b"Auto-Submitted: auto-replied\r\nMIME-Version")
    mailbox.append(out_of_office, corpus("hindi/03-out-of-office-auto-reply.eml"), corpus("hindi/04-bounce-dsn.eml"))
    assert run(app, "helpdesk", "fetch") == "0 new ticket(s), 1 added to tickets, 2 system mail, 0 seen before\n"
    assert run(app, "mail", "send") == "0 sent, 0 to try again later, 0 failed, 0 uncertain\n"
    assert len(smtp.received) == received_before
    with database.connection_context():
        assert snapshot([Outbox]) == outbox_before
        assert HelpTicket.select().count() == 1 and HelpTicket.get_by_id(ticket.id).status == "open"
        assert [m.category for m in helpdesk_mail.system_mail()] == ["bounce", "auto_reply"]
    log = client.get("/admin/system_mail/").get_data(as_text=True)
    assert "Bounce" in log and "Automatic reply" in log
    # That report returns no mail of ours: it stops nobody's mail.
    assert "nonexistent.citizen@example.in" not in client.get("/admin/bounced_address/").get_data(as_text=True)
