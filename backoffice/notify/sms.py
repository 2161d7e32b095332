"""SMS: how many segments a text takes, and the backends that hand an outbox row to a gateway.

A backend has one method, send(row), which returns when the text was
accepted and raises TryLater, Refused or Unknown (outcome.py) otherwise.
SMS_BACKEND chooses it: `development` writes the text to the log and the
development_sms table, `http` posts it to the gateway at SMS_GATEWAY_URL.
"""
import base64
import http.client
import logging
import math
import urllib.error
import urllib.parse
import urllib.request

from models import DevelopmentSms
from models.lifecycle import normalize_mobile

from .outcome import Refused, TryLater, Unknown

log = logging.getLogger(__name__)

# The GSM 03.38 alphabet: a text of these alone goes 7-bit, 160 characters to
# an SMS; one character outside it (any Devanagari) makes the whole text
# UCS-2, 70 characters to an SMS. The extension characters take two places.
GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = set("^{}\\[~]|€\f")
# (one SMS, each part of a longer one): a long text is sent in parts that
# carry a header joining them, which costs a few characters each.
GSM_LIMITS = (160, 153)
UCS2_LIMITS = (70, 67)
TIMEOUT = 30


def is_gsm(text):
    return set(text) <= GSM_BASIC | GSM_EXTENSION


def segments(text):
    """How many SMS `text` is sent (and paid) as."""
    if is_gsm(text):
        length, (single, part) = sum(2 if c in GSM_EXTENSION else 1 for c in text), GSM_LIMITS
    else:
        # UCS-2 counts UTF-16 code units; every Devanagari sign is one.
        length, (single, part) = len(text.encode("utf-16-le")) // 2, UCS2_LIMITS
    return 1 if length <= single else math.ceil(length / part)


def indian_mobile(text):
    """`text` as 91 and ten digits, or None if it is not an Indian mobile number."""
    number = normalize_mobile(text)
    return f"91{number}" if number else None


class DevelopmentBackend:
    """For developers: the text goes to the log and a table, nowhere else."""

    def send(self, row):
        count = segments(row.body_text)
        log.info("SMS to %s (%d segment(s), DLT template %s): %s",
                 row.address, count, row.dlt_template_id, row.body_text)
        DevelopmentSms.create(outbox=row, mobile=row.address, text=row.body_text,
                              dlt_template_id=row.dlt_template_id, segments=count)


class HttpGatewayBackend:
    """A gateway that takes a form POST (docs/settings.md lists its fields) with HTTP basic auth."""

    def __init__(self, url, user, password, sender_id):
        self.url = url
        self.sender_id = sender_id
        self.headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if user:
            credentials = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
            self.headers["Authorization"] = f"Basic {credentials}"

    def send(self, row):
        mobile = indian_mobile(row.address)
        if mobile is None:
            raise Refused(f"not an Indian mobile number: {row.address}")
        if not row.dlt_template_id:
            # Operators drop an SMS that names no registered template.
            raise Refused(f"no DLT template id for sms/{row.template}.{row.language}.txt in templates/sms/dlt.toml")
        form = {
            "to": mobile,
            "sender": self.sender_id,
            "text": row.body_text,
            "dlt_template_id": row.dlt_template_id,
            "unicode": "0" if is_gsm(row.body_text) else "1",
            "reference": str(row.id),  # the gateway's delivery reports name it
        }
        request = urllib.request.Request(self.url, data=urllib.parse.urlencode(form).encode(),
                                         headers=self.headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT):
                return
        except urllib.error.HTTPError as error:
            # 4xx: this request is wrong (a number the operator refuses, a
            # template that does not match) except for being too early or too many.
            if 400 <= error.code < 500 and error.code not in (408, 429):
                raise Refused(f"SMS gateway: {error.code} {error.reason}") from error
            raise TryLater(f"SMS gateway: {error.code} {error.reason}") from error
        except urllib.error.URLError as error:
            # urllib wraps only what happens before the request is written.
            raise TryLater(f"cannot reach the SMS gateway: {error.reason}") from error
        except (http.client.HTTPException, OSError) as error:
            raise Unknown(f"no answer from the SMS gateway after the text was handed over: {error}") from error


def backend(config):
    if config["SMS_BACKEND"] == "http":
        return HttpGatewayBackend(config["SMS_GATEWAY_URL"], config["SMS_GATEWAY_USER"],
                                  config["SMS_GATEWAY_PASSWORD"], config["SMS_SENDER_ID"])
    return DevelopmentBackend()
