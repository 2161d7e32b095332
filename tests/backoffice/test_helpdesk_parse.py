"""Reading inbound mail (backoffice/helpdesk/parse.py): the corpus's Hindi cases, hostile headers, charsets, limits."""
import base64
import email
from email import policy
from pathlib import Path

import pytest

from backoffice.helpdesk import parse

MAIL = Path(__file__).resolve().parent.parent / "data" / "mail"
CORPUS = sorted(path for path in MAIL.rglob("*") if path.is_file() and path.name not in ("LICENSE", "README.md",
                                                                                            ".gitattributes"))


def hindi(name):
    return parse.parse((MAIL / "hindi" / name).read_bytes())


def message(headers="", body="Hello", content_type="text/plain; charset=utf-8", sender="Asha <asha@example.in>"):
    """A small message's bytes; `headers` are extra lines, `body` str (UTF-8) or bytes."""
    body = body.encode() if isinstance(body, str) else body
    head = (f"From: {sender}\r\nTo: help@jansahayak.example\r\nSubject: Test\r\nMessage-ID: <m1@example.in>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n{headers}")
    return head.encode() + b"\r\n" + body


# --- the corpus's Hindi cases, as its README says ------------------------------------

def test_a_subject_split_mid_character_between_two_encoded_words_comes_out_whole():
    mail = hindi("01-subject-split-mid-character.eml")
    assert mail.subject == "मेरा राशन कार्ड अभी तक नहीं मिला"
    assert "\ufffd" not in mail.subject and not mail.charset_guessed
    assert "HR-2020-AB12-CD34" in mail.text
    assert (mail.sender, mail.sender_name, mail.category) == ("ramesh.k@example.in", "Ramesh Kumar", "person")


def test_raw_utf8_headers_are_read_as_utf8():
    mail = hindi("02-raw-utf8-headers.eml")
    assert mail.subject == "जाति प्रमाण पत्र में नाम गलत है"
    assert (mail.sender, mail.sender_name) == ("sunita.devi@example.in", "सुनीता देवी")


def test_an_out_of_office_reply_is_machine_mail():
    mail = hindi("03-out-of-office-auto-reply.eml")
    assert mail.category == "auto_reply"
    assert mail.references == ["<outbound-placeholder@jansahayak.example>"]


def test_a_delivery_status_notification_names_the_failed_recipient():
    mail = hindi("04-bounce-dsn.eml")
    assert mail.category == "bounce"
    assert [(address, status) for address, status, _ in mail.bounced] == [("nonexistent.citizen@example.in", "5.1.1")]


def test_html_only_mail_is_sanitised_and_read_as_text():
    mail = hindi("05-html-only-with-script.eml")
    assert "मेरी पेंशन तीन महीने से नहीं आई।" in mail.text
    for dangerous in ("<script", "alert(", "onerror", "javascript:", "document.cookie", "<img"):
        assert dangerous not in mail.html.lower(), dangerous
        assert dangerous not in mail.text.lower(), dangerous
    assert "<b>पेंशन</b>" in mail.html


def test_an_rfc2231_hindi_file_name_is_read():
    mail = hindi("06-attachment-rfc2231-hindi-filename.eml")
    [(filename, content_type, content, size)] = mail.attachments
    assert filename == "आधार कार्ड प्रति.pdf"
    assert (content_type, content, size) == ("application/pdf", b"%PDF-1.4 minimal test file", 26)
    assert mail.text == "दस्तावेज़ संलग्न हैं।"


# --- who sent it: CVE-2023-27043 ---------------------------------------------------------

@pytest.mark.parametrize("sender", [
    "alice@example.org)<bob@example.org>",  # parseaddr: alice; getaddresses: alice, '', bob
    "alice@example.org <bob@example.org>",
    "alice@example.org,\r\n <bob@example.org>",
    "Asha <asha@example.in>, Ravi <ravi@example.in>",
    "Undisclosed recipients:;",
    "no address here",
    "",
])
def test_a_from_header_that_is_not_exactly_one_clean_address_gives_an_unknown_sender(sender):
    mail = parse.parse(message(sender=sender))
    assert mail.sender == ""
    assert mail.sender_name == " ".join(sender.split())
    assert mail.category == "person"


def test_two_from_headers_give_an_unknown_sender():
    mail = parse.parse(message(headers="From: Ravi <ravi@example.in>\r\n"))
    assert mail.sender == "" and "asha@example.in" in mail.sender_name and "ravi@example.in" in mail.sender_name


@pytest.mark.parametrize("sender, address, name", [
    ("S. K. Sharma <SK.Sharma@Example.IN>", "sk.sharma@example.in", "S. K. Sharma"),  # obsolete syntax is fine
    ('"Bob\\" <bob@evil.example>" <alice@example.org>', "alice@example.org", 'Bob" <bob@evil.example>'),
    ("=?utf-8?b?4KSG4KS24KS+?= <asha@example.in>", "asha@example.in", "आशा"),
    ("asha@example.in", "asha@example.in", ""),
])
def test_one_clean_address_is_the_sender(sender, address, name):
    mail = parse.parse(message(sender=sender))
    assert (mail.sender, mail.sender_name) == (address, name)


# --- Message-IDs and references ------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("<>", None), ("<[]>", "<[]>"), ("<a@[b>", "<a@[b>"), ("<a@b> (comment)", "<a@b>"), ("a@b", "<a@b>"),
    ("<7oh6b1$1clhrjk@badger-vip.apple.com>", "<7oh6b1$1clhrjk@badger-vip.apple.com>"), ("two words", None),
])
def test_message_ids_that_trip_the_standard_library_are_read_by_pattern(value, expected):
    raw = message().replace(b"Message-ID: <m1@example.in>", f"Message-ID: {value}".encode())
    if value in ("<>", "<[]>", "<a@[b>"):
        with pytest.raises((IndexError, AttributeError)):
            email.message_from_bytes(raw, policy=policy.default)["Message-ID"]
    assert parse.parse(raw).message_id == expected


def test_references_and_in_reply_to_are_collected():
    mail = parse.parse(message(headers="In-Reply-To: <a@x>\r\nReferences: <b@x>\r\n <c@x> junk\r\n"))
    assert mail.references == ["<a@x>", "<b@x>", "<c@x>"]


def test_a_bounce_of_our_mail_refers_to_its_message_id():
    raw = (b"From: MAILER-DAEMON@mx.example.in\r\nSubject: Undelivered\r\nMessage-ID: <dsn@mx>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n"
           b"--B\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n"
           b"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
           b"Final-Recipient: rfc822; Asha@Example.in\r\nAction: failed\r\nStatus: 5.2.2\r\n"
           b"Diagnostic-Code: smtp; 552 mailbox\r\n full\r\n\r\n"
           b"Final-Recipient: rfc822; late@example.in\r\nAction: delayed\r\nStatus: 4.4.1\r\n"
           b"--B\r\nContent-Type: message/rfc822\r\n\r\nFrom: noreply@jansahayak.example\r\n"
           b"Message-ID: <t7.0123456789abcdef.99@jansahayak.example>\r\nSubject: Re: x\r\n\r\nOur reply.\r\n--B--\r\n")
    mail = parse.parse(raw)
    assert mail.category == "bounce"
    assert mail.bounced == [("asha@example.in", "5.2.2", "smtp; 552 mailbox full")]
    assert mail.references == ["<t7.0123456789abcdef.99@jansahayak.example>"]
    assert [a[0] for a in mail.attachments] == ["attachment-1.eml"]


# --- decoding -----------------------------------------------------------------------------

def test_an_unknown_charset_is_read_as_best_it_can_be_and_flagged():
    mail = parse.parse(message(body="पेंशन", content_type="text/plain; charset=x-unknown"))
    assert mail.text == "पेंशन" and mail.charset_guessed


def test_a_wrong_charset_gives_replacement_characters_and_is_flagged():
    mail = parse.parse(message(body=b"caf\xe9 \xff", content_type="text/plain; charset=utf-8"))
    assert mail.text == "caf\ufffd \ufffd" and mail.charset_guessed


def test_a_right_legacy_charset_is_no_guess():
    mail = parse.parse(message(body="café".encode("iso-8859-1"), content_type="text/plain; charset=iso-8859-1"))
    assert mail.text == "café" and not mail.charset_guessed


@pytest.mark.parametrize("subject, expected", [
    # One character's bytes split between two words, in B and in Q.
    ("=?UTF-8?B?" + base64.b64encode("राशन".encode()[:4]).decode() + "?= =?UTF-8?B?"
     + base64.b64encode("राशन".encode()[4:]).decode() + "?=", "राशन"),
    ("=?utf-8?Q?=E0=A4=B0=E0?=\r\n =?utf-8?Q?=A4=BE_x?=", "रा x"),
    ("Re: =?utf-8?Q?caf=C3=A9?= and =?iso-8859-1?Q?caf=E9?=", "Re: café and café"),
    ("=?utf-8?B?not base64!?=", "=?utf-8?B?not base64!?="),
    ("=?NONE?B?VEVTVA=?=", "TEST"),
    ("plain\x07text", "plaintext"),
])
def test_encoded_words(subject, expected):
    assert parse.parse(message(headers=f"Subject: {subject}\r\n").replace(b"Subject: Test\r\n", b"")).subject == \
        expected


# --- limits ---------------------------------------------------------------------------------

def test_a_message_over_the_limit_is_quarantined_with_its_headers_read(monkeypatch):
    monkeypatch.setattr(parse, "MAX_MESSAGE", 1000)
    mail = parse.parse(message(body="x" * 2000))
    assert mail.quarantined and mail.text == "" and mail.attachments == []
    assert (mail.sender, mail.subject, mail.category) == ("asha@example.in", "Test", "person")


def test_an_attachment_over_the_limit_is_withheld_and_the_message_quarantined(monkeypatch):
    monkeypatch.setattr(parse, "MAX_ATTACHMENT", 100)
    raw = message(content_type="multipart/mixed; boundary=B", body=(
        "--B\r\nContent-Type: text/plain\r\n\r\nSee the scan.\r\n--B\r\nContent-Type: image/png\r\n"
        "Content-Disposition: attachment; filename=scan.png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(b"p" * 300).decode() + "\r\n--B--\r\n"))
    mail = parse.parse(raw)
    assert mail.quarantined and mail.text == "See the scan."
    assert mail.attachments == [("scan.png", "image/png", None, 300)]


def test_an_attachment_name_cannot_climb_out_of_a_folder():
    raw = message(content_type="multipart/mixed; boundary=B", body=(
        '--B\r\nContent-Type: application/pdf; name="x"\r\nContent-Disposition: attachment; '
        'filename="..\\\\..\\\\etc/pass\x01wd.pdf"\r\n\r\n%PDF\r\n--B--\r\n'))
    assert parse.parse(raw).attachments[0][0] == "passwd.pdf"


# --- machine mail ---------------------------------------------------------------------------

@pytest.mark.parametrize("headers, category", [
    ("", "person"),
    ("Auto-Submitted: no\r\n", "person"),
    ("Auto-Submitted: auto-generated\r\n", "auto_reply"),
    ("Auto-Submitted: auto-replied; owner-email=x@y\r\n", "auto_reply"),
    ("X-Auto-Response-Suppress: OOF\r\n", "auto_reply"),
    ("Precedence: bulk\r\n", "bulk"),
    ("Precedence: list\r\n", "bulk"),
    ("Precedence: junk\r\n", "bulk"),
    ("Return-Path: <>\r\n", "bounce"),
    ("Return-Path: <asha@example.in>\r\n", "person"),
])
def test_machine_mail_is_known_by_its_headers(headers, category):
    assert parse.parse(message(headers=headers)).category == category


def test_mailer_daemon_is_a_bounce():
    assert parse.parse(message(sender="Mail Delivery System <MAILER-DAEMON@mx.example.in>")).category == "bounce"


def test_nothing_but_bytes_is_unreadable_mail():
    mail = parse.parse(b"\x00\x01 not a message")
    assert mail.category == "unreadable" and mail.sender == ""


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: str(path.relative_to(MAIL)))
def test_every_corpus_message_is_read_without_an_exception(path, caplog):
    mail = parse.parse(path.read_bytes())
    assert not caplog.records, "a message fell through to the last resort"
    assert mail.category in ("person", "auto_reply", "bulk", "bounce", "unreadable")
    assert mail.text or mail.html is not None or mail.attachments or mail.category != "person" or mail.subject
