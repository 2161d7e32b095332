"""Reading inbound mail: an RFC 5322 message's bytes to a models.helpdesk_mail.InboundMail.

Never raises, whatever arrives: what cannot be decoded is read as best it can
be and flagged, and the bytes are kept whole beside it. The standard library's
parser finds the structure; the header values are decoded here, from the
bytes as received, because its header objects stumble on real mail:

- RFC 2047 encoded words are joined before decoding, so a character split
  between two words comes out whole;
- raw 8-bit headers (RFC 6532) are read as UTF-8;
- a charset that is unknown or wrong is read with replacement characters and
  the message flagged (charset_guessed);
- a Message-ID is taken by pattern: some that mail servers pass make the
  header objects raise (IndexError on "<>");
- From is parsed by email.policy.default's address parser, the strict one,
  and a header with defects, or with other than exactly one address, gives an
  unknown sender: the getaddresses/parseaddr confusion of CVE-2023-27043 can
  name a different address than the one a mail client shows, and this
  Python has no strict= to stop it. Obsolete syntax is RFC 5322's to read
  (the unquoted dots of "S. K. Sharma <sk@example.in>") and is accepted.
"""
import base64
import binascii
import codecs
import email.charset
import logging
import quopri
import re
from email import policy
from email.errors import ObsoleteHeaderDefect
from email.parser import BytesParser

from models.helpdesk_mail import InboundMail

from . import markup

log = logging.getLogger(__name__)

# A message over MAX_MESSAGE bytes is kept whole in quarantine, its body not
# read; an attachment over MAX_ATTACHMENT is withheld, and its message quarantined.
MAX_MESSAGE = 25 * 1024 * 1024
MAX_ATTACHMENT = 10 * 1024 * 1024
MAX_DEPTH = 20  # MIME nesting read before the rest is left in the raw message
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,496})>")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_SURROGATES = re.compile("[\udc80-\udcff]")
# RFC 5322's obsolete syntax allows space before a header's colon ("Subject : ..."); the parser does not.
_OBS_COLON = re.compile(rb"(?m)^([!-9;-~]+)[ \t]+:")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, line feed and carriage return kept
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
# Where a plus-addressed token may arrive: the headers naming the recipient.
RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to")
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# Read as the message's text; a multipart the parser could not split (a broken boundary) is read as it is.
TEXT_TYPES = {"text/plain", "text/html", *(f"multipart/{sub}" for sub in ("mixed", "alternative", "related"))}


class _Reading:
    """Whether anything had to be guessed while reading one message."""

    def __init__(self):
        self.guessed = False

    def decode(self, data, charset):
        """`data` as text in `charset` (default US-ASCII); on an unknown or wrong one, the best guess, flagged.

        Control characters other than tab and line ends are no text anyone
        wrote, and PostgreSQL cannot store a NUL (the message failed as a
        temporary error, retried until the mail server gave up): removed, the
        message flagged as read by guessing.
        """
        text = self._decoded(data, charset)
        if _BODY_CONTROL.search(text):
            self.guessed = True
            text = _BODY_CONTROL.sub("", text)
        return text

    def _decoded(self, data, charset):
        name = (charset or "us-ascii").strip().strip('"').lower()
        try:
            codec = codecs.lookup(email.charset.ALIASES.get(name, name)).name
        except LookupError:
            codec = None
        if codec is not None:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
        self.guessed = True
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode(codec or "utf-8", errors="replace")

    def header(self, value):
        """A raw header value as text: unfolded, raw 8-bit bytes (kept by the parser as surrogates) read as UTF-8."""
        value = _FOLD.sub("", value)
        if not _SURROGATES.search(value):
            return value
        return self.decode(value.encode("utf-8", "surrogateescape"), "utf-8")

    def words(self, text):
        """RFC 2047: encoded words decoded, adjacent ones in one charset joined first; control characters out."""
        parts, pending, charset, last = [], b"", None, 0
        after_word = False  # the text since the last encoded word is only whitespace, which is no text

        def flush():
            if pending:
                parts.append(self.decode(pending, charset))

        for match in _ENCODED_WORD.finditer(text):
            between = text[last:match.start()]
            data = self._word(match.group(2), match.group(3))
            last = match.end()
            if data is None:
                flush()
                parts.append(between + match.group(0))
                pending, after_word = b"", False
                continue
            word_charset = match.group(1).split("*")[0].lower()  # RFC 2231 may add *language
            if after_word and not between.strip() and word_charset == charset:
                pending += data
                continue
            flush()
            if not (after_word and not between.strip()):
                parts.append(between)
            pending, charset, after_word = data, word_charset, True
        flush()
        parts.append(text[last:])
        return _CONTROL.sub("", "".join(parts))

    def _word(self, encoding, payload):
        try:
            if encoding in "bB":
                return base64.b64decode(payload + "=" * (-len(payload) % 4))
            return quopri.decodestring(payload.replace("_", " ").encode("ascii"), header=False)
        except (binascii.Error, ValueError):
            self.guessed = True
            return None


class _Headers:
    def __init__(self, message, reading):
        self.values = {}
        for name, value in message.raw_items():
            self.values.setdefault(name.lower(), []).append(value)
        self.reading = reading

    def all(self, name):
        return [self.reading.header(value) for value in self.values.get(name, [])]

    def first(self, name, default=None):
        values = self.all(name)
        return values[0] if values else default

    def text(self, name):
        """The first `name` header as a person reads it, on one line."""
        return " ".join(self.reading.words(self.first(name, "")).split())


def parse(raw):
    """The InboundMail of `raw` (bytes)."""
    mail = InboundMail(raw=raw)
    reading = _Reading()
    try:
        _read(mail, raw, reading)
    except Exception:  # a message no rule here foresaw: kept whole, in quarantine, rather than lost
        log.exception("reading an inbound message of %s bytes", len(raw))
        mail.quarantined = True
    mail.charset_guessed = reading.guessed
    return mail


def _read(mail, raw, reading):
    too_big = len(raw) > MAX_MESSAGE
    head, *body = _HEAD_END.split(raw, maxsplit=1)
    readable = _OBS_COLON.sub(rb"\1:", head) + (b"\r\n\r\n" + body[0] if body else b"")
    message = BytesParser(policy=policy.default).parsebytes(readable, headersonly=too_big)
    headers = _Headers(message, reading)
    if not headers.values:
        mail.category = "unreadable"
        mail.text = reading.decode(raw[:MAX_ATTACHMENT], "utf-8")
        return
    # First, from the headers alone: nothing after this may let a machine's mail pass for a person's.
    mail.sender, mail.sender_name = _sender(headers)
    mail.category = _category(headers, mail.sender)
    mail.message_id = _message_id(headers.first("message-id", ""))
    mail.subject = headers.text("subject")
    ids = _MESSAGE_ID.findall(" ".join(headers.all("in-reply-to") + headers.all("references")))
    mail.references = [f"<{message_id}>" for message_id in ids]
    mail.recipients = " ".join(value for name in RECIPIENT_HEADERS for value in headers.all(name))
    if too_big:
        mail.quarantined = True
    else:
        _Body(mail, reading).read(message)
    if mail.bounced:
        mail.category = "bounce"


def _message_id(value):
    match = _MESSAGE_ID.search(value)
    if match:
        return f"<{match.group(1)}>"
    bare = value.strip()
    # Some senders leave out the angle brackets; anything else is no usable id.
    return f"<{bare}>" if bare and "@" in bare and len(bare) <= 496 and not re.search(r"[\s<>]", bare) else None


def _sender(headers):
    """(address, display name), or ("", the header as written) when the sender cannot be known for sure."""
    values = headers.all("from")
    written = " ".join(headers.reading.words(value) for value in values).strip()
    if len(values) != 1:
        return "", written
    try:
        header = policy.default.header_factory("from", values[0])
        addresses = header.addresses
        defects = [d for d in header.defects if not isinstance(d, ObsoleteHeaderDefect)]
    except Exception:  # the parser's own faults on hostile input
        return "", written
    if defects or len(addresses) != 1:
        return "", written
    [address] = addresses
    addr_spec = address.addr_spec.lower()
    if not address.username or not address.domain or len(addr_spec) > 254:
        return "", written
    return addr_spec, " ".join(address.display_name.split())


def _category(headers, sender):
    """person, or what kind of machine sent it (RFC 3834 and the usual signs), by the raw headers."""
    content_type = (headers.first("content-type") or "").lower()
    return_path = headers.first("return-path")
    if ((content_type.startswith("multipart/report") and re.search(r"report-type\s*=\s*\"?delivery-status", content_type))
            or sender.partition("@")[0] == "mailer-daemon"
            or (return_path is not None and return_path.strip() in ("<>", ""))):
        return "bounce"
    auto_submitted = headers.first("auto-submitted")
    if (content_type.startswith("multipart/report")  # read receipts and other reports
            or (auto_submitted is not None and auto_submitted.split(";")[0].strip().lower() != "no")
            or headers.first("x-auto-response-suppress") is not None):
        return "auto_reply"
    if (headers.first("precedence") or "").strip().lower() in AUTO_PRECEDENCE:
        return "bulk"
    return "person"


class _Body:
    """The text, sanitised HTML, attachments and bounce report of a message's parts."""

    def __init__(self, mail, reading):
        self.mail, self.reading = mail, reading
        self.texts, self.html = [], None

    def read(self, message):
        self._walk(message, 0)
        html = self.html
        self.mail.html = markup.sanitise(html) if html is not None else None
        texts = (text.replace("\r\n", "\n").replace("\r", "\n").strip("\n") for text in self.texts)
        text = "\n\n".join(text for text in texts if text.strip())
        self.mail.text = text if text or self.mail.html is None else markup.to_text(self.mail.html)

    def _walk(self, part, depth):
        if depth > MAX_DEPTH:
            self.mail.quarantined = True
            return
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            self._delivery_status(part)
        elif content_type in ("message/rfc822", "text/rfc822-headers"):
            self._returned(part)
            self._attach(part)
        elif part.is_multipart():
            for sub in part.get_payload():
                self._walk(sub, depth + 1)
        elif content_type in TEXT_TYPES and not _is_attachment(part):
            text = self.reading.decode(_payload(part), _charset(part))
            if content_type != "text/html":
                self.texts.append(text)
            elif self.html is None:
                self.html = text
            else:
                self.texts.append(markup.to_text(markup.sanitise(text)))
        else:
            self._attach(part)

    def _attach(self, part):
        content = _content(part)
        index = len(self.mail.attachments) + 1
        filename = _filename(part, self.reading) or f"attachment-{index}{_extension(part.get_content_type())}"
        size = len(content)
        if size > MAX_ATTACHMENT:
            self.mail.quarantined = True
            content = None
        self.mail.attachments.append((filename, part.get_content_type()[:100], content, size))

    def _delivery_status(self, part):
        """The failed recipients of a delivery status notification (RFC 3464)."""
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            fields = _Headers(block, self.reading)
            recipient = fields.first("final-recipient") or fields.first("original-recipient") or ""
            address = recipient.partition(";")[2].strip().strip("<>").lower()
            if (fields.first("action") or "").strip().lower() == "failed" and "@" in address:
                status = (fields.first("status") or "").strip()
                self.mail.bounced.append((address, status, " ".join((fields.first("diagnostic-code") or "").split())))

    def _returned(self, part):
        """A report's copy of the mail it is about: its Message-ID leads back to our ticket."""
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            message_id = _Headers(inner[0], self.reading).first("message-id")
        else:
            text = self.reading.decode(_payload(part), _charset(part))
            match = re.search(r"(?im)^message-id:[ \t]*(\S+)", text)
            message_id = match and match.group(1)
        message_id = message_id and _message_id(message_id)
        if message_id:
            self.mail.references.append(message_id)


def _is_attachment(part):
    try:
        return part.get_content_disposition() == "attachment" or bool(part.get_filename())
    except Exception:
        return True


def _payload(part):
    """The part's bytes, transfer encoding undone; undecodable ones as they came."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if data is None:
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data


def _content(part):
    inner = part.get_payload()
    if isinstance(inner, list):  # an attached message: its own bytes
        try:
            return b"".join(sub.as_bytes(policy=policy.compat32) for sub in inner)
        except Exception:
            return str(inner[0]).encode("utf-8", "surrogateescape")
    return _payload(part)


def _charset(part):
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _filename(part, reading):
    """The attachment's name (RFC 2231 or, as some clients send it, RFC 2047), safe to offer for download."""
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        return None
    if not name.isascii():
        name = reading.header(name)
    name = reading.words(name)
    name = _UNSAFE_NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[:190]}.{extension[:9]}" if dot and len(extension) <= 9 else name[:200]
    return name or None


def _extension(content_type):
    return {"message/rfc822": ".eml", "text/rfc822-headers": ".txt", "text/plain": ".txt", "text/html": ".html",
            "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(content_type, "")
