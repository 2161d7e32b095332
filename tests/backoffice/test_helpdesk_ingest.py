"""Inbound mail into the help desk (backoffice/helpdesk/ingest.py, `helpdesk ingest`): every corpus message, once."""
import os
import sqlite3
import subprocess
import sys

import pytest

from backoffice import create_app
from backoffice.helpdesk import parse
from backoffice.config import ROOT
from models import BouncedAddress, HelpTicket, TicketAttachment, TicketMessage, database, db as models_db
from models import helpdesk, helpdesk_mail, migrate
from tests.backoffice.helpdesk_support import HELP, MAIL, corpus, ingest, outbox, request_numbered

CORPUS = sorted(path for path in MAIL.rglob("*") if path.is_file() and path.name not in ("LICENSE", "README.md",
                                                                                            ".gitattributes"))


def test_a_hindi_mail_opens_a_ticket_linked_to_its_request_and_is_acknowledged_by_mail(app):
    app.config["HELPDESK_REPLY_TO"] = HELP
    request = request_numbered("HR-2020-AB12-CD34")
    received = ingest(app, corpus("hindi/01-subject-split-mid-character.eml"))
    with database.connection_context():
        ticket = HelpTicket.get_by_id(received.ticket.id)
        assert ticket.subject == "मेरा राशन कार्ड अभी तक नहीं मिला"
        assert ticket.request == request and ticket.channel == "email" and ticket.acknowledged_at
        requester = ticket.requester
        # The request's own citizen, found by his exact address: so his number in it links the ticket.
        assert (requester.id, requester.email, requester.language) == (request.citizen_id, "ramesh.k@example.in", "hi")
        token = helpdesk.thread_token(ticket, app.config["SECRET_KEY"])
    [ack] = outbox()
    assert (ack.channel, ack.address, ack.template, ack.automatic) == (
        "email", "ramesh.k@example.in", "helpdesk_ticket_received", True)
    assert ack.subject.startswith(f"[{ticket.number}] आपका संदेश हमें मिल गया है")
    assert request.tracking_number in ack.body_text
    assert ack.reply_to == f"help+{token}@jansahayak.example" and ack.message_id.startswith(f"<{token}.")


def test_raw_utf8_headers_reach_the_ticket(app):
    received = ingest(app, corpus("hindi/02-raw-utf8-headers.eml"))
    assert received.ticket.subject == "जाति प्रमाण पत्र में नाम गलत है"
    assert received.message.sender_name == "सुनीता देवी"


def test_an_out_of_office_reply_and_a_bounce_are_logged_and_cause_no_mail(app):
    for name in ("03-out-of-office-auto-reply.eml", "04-bounce-dsn.eml"):
        received = ingest(app, corpus(f"hindi/{name}"))
        assert received.ticket is None and not received.acknowledge
    with database.connection_context():
        assert [m.category for m in helpdesk_mail.system_mail()] == ["bounce", "auto_reply"]
        assert HelpTicket.select().count() == 0
        # The report returns no mail of ours (no Message-ID we sent): logged, and nobody's mail stops.
        assert BouncedAddress.select().count() == 0
    assert outbox() == []


def test_html_is_stored_sanitised_and_an_attachment_with_its_hindi_name(app):
    html = ingest(app, corpus("hindi/05-html-only-with-script.eml"))
    attached = ingest(app, corpus("hindi/06-attachment-rfc2231-hindi-filename.eml"))
    with database.connection_context():
        message = TicketMessage.get_by_id(html.message.id)
        assert "मेरी पेंशन तीन महीने से नहीं आई।" in message.body_text
        assert not any(bad in message.body_html for bad in ("<script", "onerror", "javascript:", "<img"))
        [attachment] = TicketAttachment.select().where(TicketAttachment.message == attached.message.id)
        assert (attachment.filename, bytes(attachment.content)) == ("आधार कार्ड प्रति.pdf", b"%PDF-1.4 minimal test file")


def test_every_corpus_message_is_ingested_once_without_an_exception(app):
    first = [ingest(app, path.read_bytes()) for path in CORPUS]
    with database.connection_context():
        for path, received in zip(CORPUS, first):
            message = TicketMessage.get_by_id(received.message.id)
            if received.ticket is None:
                assert message.category != "person", path  # the system-mail log says what it is
            elif message.category == "person":
                # On a ticket an agent reads: words, or attachments, or a flag saying why not.
                assert (message.body_text or message.body_html is not None or message.subject
                        or list(message.attachments) or message.quarantined), path
            if received.duplicate:
                # Only the same message again (the same bytes; another line ending, an added Sender:
                # header): its sender, subject and words are on the copy already stored.
                mail = parse.parse(path.read_bytes())
                assert (message.sender_address, message.subject, message.body_text) == (
                    mail.sender, mail.subject, mail.text), path
                assert message.message_id in (mail.message_id, None)  # None: stored under its bytes
    assert 0 < sum(received.duplicate for received in first) < 20
    assert all(ingest(app, path.read_bytes()).duplicate for path in CORPUS)


def test_the_mta_pipe_stores_a_message_once(app):
    runner = app.test_cli_runner()
    raw = corpus("hindi/02-raw-utf8-headers.eml")
    stored = runner.invoke(args=["helpdesk", "ingest"], input=raw)
    assert stored.exit_code == 0 and stored.output.startswith("stored: JS-"), stored.output
    again = runner.invoke(args=["helpdesk", "ingest"], input=raw)
    assert again.exit_code == 0 and again.output.startswith("seen before: JS-")
    logged = runner.invoke(args=["helpdesk", "ingest"], input=corpus("hindi/03-out-of-office-auto-reply.eml"))
    assert logged.output == "stored: the system-mail log\n"


def test_a_locked_database_makes_the_mta_try_again(tmp_path, monkeypatch):
    monkeypatch.setitem(models_db.SQLITE_PRAGMAS, "busy_timeout", 100)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    path = tmp_path / "locked.db"
    app = create_app({"APP_ENV": "test", "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test-secret"})
    with database.connection_context():
        migrate.upgrade()
    locker = sqlite3.connect(path)
    locker.execute("BEGIN EXCLUSIVE")
    raw = corpus("hindi/02-raw-utf8-headers.eml")
    try:
        refused = app.test_cli_runner().invoke(args=["helpdesk", "ingest"], input=raw)
    finally:
        locker.rollback()
        locker.close()
    assert refused.exit_code == 75, refused.output
    assert "not stored, try again later: OperationalError: database is locked" in refused.output
    assert app.test_cli_runner().invoke(args=["helpdesk", "ingest"], input=raw).exit_code == 0


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:1/nowhere", "sqlite:////nonexistent/dir/x.db"])
def test_a_database_out_of_reach_exits_75_never_0(tmp_path, url):
    # As the MTA runs it: a process of its own, the message on standard input.
    env = {**os.environ, "APP_ENV": "test", "SECRET_KEY": "test-secret", "DATABASE_URL": url,
           "INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "helpdesk", "ingest"], cwd=ROOT, env=env,
                          input=corpus("hindi/01-subject-split-mid-character.eml"), capture_output=True, timeout=60)
    assert done.returncode == 75, done.stderr.decode()
    assert b"not stored, try again later" in done.stderr


def test_a_message_with_nul_characters_is_stored_without_them_and_flagged(app):
    # PostgreSQL's text holds no NUL: the message failed to store, and a temporary failure (exit 75)
    # had the mail server retry it until it gave up, the mail lost.
    raw = (b"From: Asha <asha@example.in>\r\nTo: help@jansahayak.example\r\nSubject: Ration\x00 card\x07\r\n"
           b"Message-ID: <nul-1@example.in>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"Where is\x00 my card?\x1b\tThank you.\r\n")
    received = ingest(app, raw)
    with database.connection_context():
        message = TicketMessage.get_by_id(received.message.id)
        assert message.subject == "Ration card" and received.ticket.subject == "Ration card"
        assert message.body_text == "Where is my card?\tThank you."
        assert message.charset_guessed and bytes(message.raw) == raw
