"""E-mail: an outbox row as a correct message, handed to the SMTP server that Flask-Mail is configured for.

The message is built with the standard library's EmailMessage (policy.SMTP:
CRLF, lines within 998 octets, a Hindi attachment name written the RFC 2231
way, which mail clients show) and not with Flask-Mail's Message, which sends
8-bit bodies unannounced. Neither folds a long header that mixes ASCII and
Hindi safely: both may put a space between two encoded words, where readers
drop it ("बदल गई" arrives as "बदलगई"). So Subject and the To name are
encoded here, every space inside an encoded word.
"""
import base64
import datetime
import email.utils
import re
import smtplib
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage

import flask_mail

from .outcome import Refused, TryLater, Unknown

# 7bit: bodies go as base64 or quoted-printable, so no server needs 8BITMIME.
POLICY = policy.SMTP.clone(cte_type="7bit")
# Seconds to wait for the server at any step; without it a server that stops
# answering would hold the sender, and the rows it has claimed, for ever.
TIMEOUT = 30
# RFC 2047: an encoded word is at most 75 characters, a line that holds one at most 76.
ENCODED_WORD = 75


def build(row, sender):
    """The outbox row `row` (channel email) as an EmailMessage from `sender`."""
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    _set_words(message, "To", row.name, row.address)
    _set_words(message, "Subject", row.subject)
    # When it was written, not when it went out: a retry is the same message.
    message["Date"] = email.utils.format_datetime(row.created_at.replace(tzinfo=datetime.timezone.utc))
    message["Message-ID"] = row.message_id
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    if row.automatic:
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic replies to this
        message["X-Auto-Response-Suppress"] = "All"  # the same, for Exchange and Outlook
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    for attachment in row.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(bytes(attachment.content), maintype=maintype, subtype=subtype,
                               filename=attachment.filename)
    return message


def _set_words(message, name, words, addr_spec=None):
    """Header `name` holding `words`, and after them the address `addr_spec` if given."""
    if addr_spec is not None and not addr_spec.isascii():
        raise ValueError(f"{addr_spec!r}: addresses outside ASCII need SMTPUTF8, which is not used")
    if words.isascii():
        message[name] = str(Address(display_name=words, addr_spec=addr_spec)) if addr_spec else words
        return
    folded = "\r\n ".join(_encoded_words(words, room=ENCODED_WORD + 1 - len(f"{name}: ")))
    message.set_raw(name, f"{folded}\r\n <{Address(addr_spec=addr_spec).addr_spec}>" if addr_spec else folded)


def _encoded_words(text, room):
    """`text` as base64 encoded words, the first within `room` characters, each of the others within 75."""
    words, current = [], ""
    for char in text:
        if current and len(_encoded_word(current + char)) > room:
            words.append(_encoded_word(current))
            current, room = "", ENCODED_WORD
        current += char
    return [*words, _encoded_word(current)]


def _encoded_word(text):
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


class _Connection(flask_mail.Connection):
    """Flask-Mail's connection (server, port, TLS or SSL, log-in from MAIL_* settings), with a timeout."""

    def configure_host(self):
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=TIMEOUT)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


class Mailer:
    """Sends outbox rows over one SMTP connection, opened when first needed and again after a failure."""

    def __init__(self, app):
        self.state = app.extensions["mail"]
        self.sender = self.state.default_sender
        self.envelope_from = email.utils.parseaddr(self.sender)[1]
        self.host = None
        self.unreachable = None  # why the server could not be reached, once it could not

    def send(self, row):
        try:
            data = build(row, self.sender).as_bytes()
        except Exception as error:  # a message that cannot be built now never can
            raise Refused(f"the message cannot be built: {error}") from error
        host = self._host()
        try:
            hand_over(host, self.envelope_from, row.address, data)
        except (Refused, TryLater, Unknown):
            self._reset()
            raise

    def close(self):
        if self.host is not None:
            try:
                self.host.quit()
            except (smtplib.SMTPException, OSError):
                self.host.close()
            self.host = None

    def _host(self):
        if self.unreachable:
            # One failed connection is enough for this run: the rest wait for the next.
            raise TryLater(self.unreachable)
        if self.host is None:
            try:
                self.host = _Connection(self.state).configure_host()
            except (smtplib.SMTPException, OSError) as error:
                self.unreachable = f"cannot reach the mail server {self.state.server}:{self.state.port}: {error}"
                raise TryLater(self.unreachable) from error
        return self.host

    def _reset(self):
        """Ready the connection for the next message after a refusal, or drop it."""
        if self.host is None:
            return
        try:
            self.host.rset()
        except (smtplib.SMTPException, OSError):
            self.host.close()
            self.host = None


def hand_over(host, envelope_from, recipient, data):
    """One SMTP transaction on the connected `host`; raises TryLater, Refused or Unknown.

    DATA is driven by hand: the moment the last byte is written divides a
    failure that delivered nothing (try again) from a lost answer (the
    server may have accepted it: Unknown).
    """
    try:
        host.ehlo_or_helo_if_needed()
        # A refused sender is this installation's problem (its address or
        # log-in), not the message's: retried, so that fixing it loses nothing.
        _expect(host.mail(envelope_from), 250, permanent=False)
        _expect(host.rcpt(recipient), 250, 251)
        _expect(host.docmd("DATA"), 354)
        host.send(_dot_stuffed(data))
    except (smtplib.SMTPException, OSError) as error:
        raise TryLater(f"mail server: {error}") from error
    try:
        reply = host.getreply()
    except (smtplib.SMTPException, OSError) as error:
        raise Unknown(f"no answer from the mail server after the message was handed over: {error}") from error
    _expect(reply, 250)


def _expect(reply, *codes, permanent=True):
    code, text = reply
    if code in codes:
        return
    text = text.decode(errors="replace") if isinstance(text, bytes) else text
    if permanent and 500 <= code < 600:
        raise Refused(f"{code} {text}")
    raise TryLater(f"{code} {text}")


def _dot_stuffed(data):
    """The message as DATA carries it: a line starting with a dot gets another, then the end mark."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"
