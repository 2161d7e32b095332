"""E-mail through the outbox, to a real SMTP server: headers, languages, and every way delivery fails."""
import datetime

import pytest

from backoffice import notify
from models import HelpTicket, Outbox, database, helpdesk, notifications
from models.timeutil import utcnow
from tests.backoffice.notify_support import citizen, later, officer, row, rows, send, tell

MIXED_SUBJECT = ("Jansahayak HR-2026-ABCD-EFG0: आपके आवेदन की स्थिति बदल गई है और अब आप जनसहायक ऐप में "
                 "अपना आय प्रमाणपत्र डाउनलोड कर सकते हैं, कृपया ध्यान दें कि यह लिंक एक बार काम करेगा")


def welcome(app, person):
    with app.app_context(), database.connection_context():
        from backoffice.auth.reset import send_link
        send_link(person, "welcome")


def header_lines(message):
    head = message.raw.split(b"\r\n\r\n", 1)[0]
    return head.split(b"\r\n")


@pytest.mark.parametrize("language, subject, words", [
    ("en", "Your account in the Jansahayak back office", "Choose your password here"),
    ("hi", "जनसहायक बैक ऑफ़िस में आपका खाता", "अपना पासवर्ड यहाँ चुनें"),
])
def test_a_mail_arrives_with_correct_headers_in_the_recipients_language(app, smtp, language, subject, words):
    person = officer(language=language, name="कविता रानी" if language == "hi" else "Kavita Rani")
    welcome(app, person)
    assert send(app)["sent"] == 1
    [message] = smtp.to(person.email)
    assert message["Subject"] == subject
    assert str(message["To"]) == f"{person.name} <{person.email}>"
    assert message["From"].addresses[0].addr_spec == "noreply@jansahayak.localhost"
    assert message["Message-ID"].endswith("@jansahayak.localhost>")
    assert message["Message-ID"] == rows()[0].message_id
    assert message["Date"].datetime.tzinfo is not None
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Reply-To"] is None
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert words in text and words in html
    assert f'<html lang="{language}">' in html
    link = next(line for line in text.splitlines() if "/reset-password/" in line)
    assert link.startswith("http://127.0.0.1:5000/reset-password/")
    assert f'<a href="{link}">' in html
    assert all(len(line) <= 78 for line in header_lines(message))


def test_a_long_mixed_hindi_subject_keeps_every_space(app, smtp):
    person = officer()
    with app.app_context(), database.connection_context():
        notify.reply(person, MIXED_SUBJECT, "नमस्ते")
    send(app)
    [message] = smtp.to(person.email)
    assert len(MIXED_SUBJECT) >= 150
    assert message["Subject"] == MIXED_SUBJECT
    assert all(len(line) <= 998 for line in message.raw.split(b"\r\n"))
    assert all(len(line) <= 78 for line in header_lines(message))


def test_a_hindi_attachment_name_arrives_whole(app, smtp):
    person = citizen(email="asha@example.in")
    name = "आय प्रमाणपत्र - आशा देवी - हिसार तहसील कार्यालय द्वारा जारी.pdf"
    tell(app, person, "request_received", request=_request(person),
         attachments=[(name, "application/pdf", b"%PDF-1.4 test")])
    send(app)
    [message] = smtp.to("asha@example.in")
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == name
    assert attachment.get_content() == b"%PDF-1.4 test"
    assert all(len(line) <= 78 for line in message.raw.split(b"\r\n"))


def _request(person):
    from tests.backoffice.admin_support import make_request
    from models import catalogue_file
    with database.connection_context():
        catalogue_file.load()
        return make_request(mobile=person.mobile)


def test_a_citizen_gets_sms_and_mail_an_officer_mail_only(app, smtp):
    both = citizen(mobile="9876500001", email="asha@example.in")
    sms_only = citizen(mobile="9876500002", name="Ramesh", language="en")
    request = _request(both)
    tell(app, both, "request_received", request=request, about=request)
    tell(app, sms_only, "request_received", request=request)
    welcome(app, officer())
    assert [(r.channel, r.address) for r in rows()] == [
        ("sms", "9876500001"), ("email", "asha@example.in"), ("sms", "9876500002"),
        ("email", "kavita.rani@example.gov.in")]
    assert rows()[0].about_request_id == request.id
    assert send(app)["sent"] == 4
    [mail] = smtp.to("asha@example.in")
    assert mail["Subject"] == f"आवेदन {request.tracking_number} प्राप्त हुआ: {request.service.name_hi}"


def test_a_help_desk_reply_goes_by_mail_with_reply_to_and_never_by_sms(app, smtp):
    app.config["HELPDESK_REPLY_TO"] = "helpdesk@jansahayak.example.in"
    with_mail = citizen(mobile="9876500001", email="asha@example.in")
    without_mail = citizen(mobile="9876500002")
    with app.app_context(), database.connection_context():
        ticket = HelpTicket.create(number="T-1", channel="email", requester_citizen=with_mail)
        assert notify.reply(with_mail, "Re: your question", "Your certificate is ready.", about=ticket)
        assert notify.reply(without_mail, "Re: your question", "Your certificate is ready.") is None
    assert [(r.channel, r.automatic) for r in rows()] == [("email", False)]
    send(app)
    [message] = smtp.to("asha@example.in")
    # Plus-addressed with the ticket's token, which the Message-ID carries too (docs/helpdesk.md).
    token = helpdesk.thread_token(ticket, app.config["SECRET_KEY"])
    assert message["Reply-To"] == f"helpdesk+{token}@jansahayak.example.in"
    assert message["Message-ID"].strip().startswith(f"<{token}.")
    assert message["Auto-Submitted"] is None


def test_a_rolled_back_change_sends_nothing(app, smtp):
    person = officer()
    with app.app_context(), database.connection_context():
        with database.atomic() as transaction:
            notify.tell(person, "password_reset", link="http://x/", hours=1)
            transaction.rollback()
    assert rows() == []
    assert send(app)["sent"] == 0 and smtp.received == []


# --- when delivery fails ------------------------------------------------------

def test_a_5xx_answer_marks_the_message_failed_and_the_outbox_screen_shows_it(app, smtp, admin_client):
    smtp.refuse["gone@example.gov.in"] = "550 5.1.1 No such user"
    welcome(app, officer(email="gone@example.gov.in"))
    assert send(app)["failed"] == 1
    [failed] = rows()
    assert failed.status == "failed" and "550 5.1.1 No such user" in failed.last_error
    assert send(app, later(24 * 60))["sent"] == 0
    page = admin_client.get("/admin/outbox/?flt0_0=failed").get_data(as_text=True)
    assert "gone@example.gov.in" in page and "550 5.1.1 No such user" in page


def test_a_4xx_answer_is_tried_again_after_the_back_off(app, smtp):
    smtp.refuse["busy@example.gov.in"] = "451 4.3.0 Try again later"
    welcome(app, officer(email="busy@example.gov.in"))
    start = utcnow()
    assert send(app, start)["pending"] == 1
    waiting = rows()[0]
    assert waiting.status == "pending" and waiting.attempts == 1 and "451" in waiting.last_error
    assert waiting.next_attempt_at == start + notifications.BACKOFF_BASE
    del smtp.refuse["busy@example.gov.in"]
    assert send(app, start + datetime.timedelta(seconds=59))["sent"] == 0
    assert send(app, start + notifications.BACKOFF_BASE)["sent"] == 1
    assert len(smtp.to("busy@example.gov.in")) == 1


def test_with_the_server_down_mail_waits_and_then_goes_once(app, smtp):
    smtp.stop()
    for n in range(3):
        welcome(app, officer(email=f"officer{n}@example.gov.in"))
    assert send(app)["pending"] == 3
    assert all("cannot reach the mail server" in r.last_error for r in rows())
    smtp.start()
    assert send(app)["sent"] == 0  # not before the back-off
    assert send(app, later(2))["sent"] == 3
    assert send(app, later(60 * 24))["sent"] == 0
    assert sorted(smtp.message_ids()) == sorted(r.message_id for r in rows())


def test_a_server_stopped_mid_batch_loses_and_duplicates_nothing(app, smtp, monkeypatch):
    for n in range(10):
        welcome(app, officer(email=f"officer{n}@example.gov.in"))
    mark_sent = notifications.mark_sent

    def stop_after_the_third(row, now):
        if len(smtp.received) == 3:
            smtp.stop()
        return mark_sent(row, now)

    monkeypatch.setattr(notifications, "mark_sent", stop_after_the_third)
    counts = send(app)
    assert counts["sent"] == 3 and counts["pending"] == 7
    monkeypatch.setattr(notifications, "mark_sent", mark_sent)
    smtp.start()
    assert send(app, later(2))["sent"] == 7
    assert sorted(smtp.message_ids()) == sorted(r.message_id for r in rows())
    assert {r.status for r in rows()} == {"sent"}


def test_a_lost_answer_after_data_is_uncertain_and_never_resent_unasked(app, smtp, admin_client):
    smtp.drop_after_data.add("maybe@example.gov.in")
    welcome(app, officer(email="maybe@example.gov.in"))
    assert send(app)["uncertain"] == 1
    [uncertain] = rows()
    assert uncertain.status == "uncertain" and "after the message was handed over" in uncertain.last_error
    assert len(smtp.received) == 1
    assert send(app, later(60 * 24))["sent"] == 0
    assert len(smtp.received) == 1
    # An admin decides: send it again, under the same Message-ID.
    smtp.drop_after_data.clear()
    page = _act(admin_client, "retry", uncertain.id)
    assert "1 message will be sent again." in page
    assert send(app)["sent"] == 1
    assert smtp.message_ids() == [uncertain.message_id] * 2


def test_an_admin_can_mark_an_uncertain_message_sent(app, admin_client):
    welcome(app, officer())
    with database.connection_context():
        Outbox.update(status="uncertain").execute()
    assert "1 message marked as sent." in _act(admin_client, "confirm_sent", rows()[0].id)
    assert rows()[0].status == "sent"
    # Only uncertain messages can be marked sent, only failed or uncertain ones sent again.
    assert "Only a failed or uncertain message" in _act(admin_client, "retry", rows()[0].id)


def _act(client, name, pk):
    from tests.conftest import csrf_token
    token = csrf_token(client, "/admin/outbox/")
    return client.post("/admin/outbox/action/", data={"action": name, "rowid": [str(pk)], "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)


def test_a_sender_that_died_mid_send_leaves_its_rows_uncertain(app, smtp):
    welcome(app, officer())
    start = utcnow()
    with database.connection_context():
        [claimed] = notifications.claim("dead-sender", start, 10)
    assert send(app, start + notifications.STUCK_AFTER)["uncertain"] == 0
    assert send(app, start + notifications.STUCK_AFTER + datetime.timedelta(seconds=1))["uncertain"] == 1
    assert row(claimed.id).status == "uncertain" and smtp.received == []


def test_the_outbox_screen_is_for_state_administrators(app, client):
    from tests.conftest import login, make_officer
    make_officer("district@example.gov.in", "district_admin")
    login(client, "district@example.gov.in")
    assert client.get("/admin/outbox/").status_code == 403


def test_every_mail_and_sms_template_exists_in_both_languages(app):
    from pathlib import Path
    from backoffice.notify import render
    root = Path(app.template_folder)
    for kind in ("mail", "sms"):
        names = {path.name.split(".")[0] for path in (root / kind).glob("*.txt")}
        for name in names:
            for language in ("en", "hi"):
                assert (root / kind / f"{name}.{language}.txt").exists(), (kind, name, language)
    assert set(render.dlt_ids()) == {path.name.split(".")[0] for path in (root / "sms").glob("*.txt")}
