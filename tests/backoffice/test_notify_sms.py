"""SMS: segment counts, the templates' lengths, the development backend and an HTTP gateway."""
import base64
import datetime
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backoffice import create_app
from backoffice.config import ConfigError
from backoffice.notify import render, sms
from backoffice.notify.sender import deliver
from models import DevelopmentSms, database, notifications
from models.timeutil import utcnow
from tests.backoffice.notify_support import citizen, row, rows, send, tell
from tests.conftest import PRODUCTION_NEEDS

HINDI = "आवेदन मिला"  # 10 UTF-16 units


@pytest.mark.parametrize("text, count", [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
    ("[" * 80, 1), ("[" * 81, 2),  # GSM's extension characters take two places
    (HINDI * 7, 1), (HINDI * 7 + "क", 2), ("क" * 134, 2), ("क" * 135, 3),
    ("a" * 69 + "क", 1),  # one Devanagari letter makes the whole text UCS-2
])
def test_segments_are_counted_as_operators_count_them(text, count):
    assert sms.segments(text) == count


@pytest.mark.parametrize("text, mobile", [
    ("9876500001", "919876500001"), ("+91 98765 00001", "919876500001"), ("09876500001", "919876500001"),
    ("919876500001", "919876500001"), ("5876500001", None), ("98765", None), ("", None),
])
def test_indian_mobile_numbers(text, mobile):
    assert sms.indian_mobile(text) == mobile


def test_every_sms_template_fits_one_sms_in_both_languages(app):
    from tests.backoffice.admin_support import make_request
    from models import catalogue_file
    with app.app_context(), database.connection_context():
        catalogue_file.load()
        request = make_request(number="HR-2026-WWWW-WWW0")
        # The longest a due date prints: an hours limit shows the time too.
        request.due_at, request.tat_unit = datetime.datetime(2026, 12, 11, 10, 30), "hours"
        for template in render.dlt_ids():
            for language in ("en", "hi"):
                text, _ = render.sms(template, language, {"request": request})
                assert sms.segments(text) == 1, (template, language, len(text), text)
                assert "{" not in text and "\n" not in text


def test_the_development_backend_writes_the_log_and_a_table(app, caplog):
    person = citizen(mobile="9876500001")
    with database.connection_context():
        notifications.queue("sms", person.mobile, "आवेदन HR-2026-ABCD-EFG0 मिला।", language="hi",
                            template="request_received", dlt_template_id="1107000000000000001")
    with caplog.at_level(logging.INFO, logger="backoffice.notify.sms"):
        assert send(app)["sent"] == 1
    assert "SMS to 9876500001" in caplog.text and "HR-2026-ABCD-EFG0" in caplog.text
    with database.connection_context():
        [logged] = DevelopmentSms.select()
    assert (logged.mobile, logged.text, logged.segments) == ("9876500001", "आवेदन HR-2026-ABCD-EFG0 मिला।", 1)
    assert logged.dlt_template_id == "1107000000000000001" and logged.outbox_id == rows()[0].id


def test_a_citizen_gets_his_sms_in_his_language(app):
    from tests.backoffice.admin_support import make_request
    from models import catalogue_file
    person = citizen(mobile="9876500001", language="hi")
    with database.connection_context():
        catalogue_file.load()
        request = make_request(mobile=person.mobile)
    tell(app, person, "request_received", request=request)
    send(app)
    with database.connection_context():
        [logged] = DevelopmentSms.select()
    assert logged.text == f"आवेदन {request.tracking_number} मिला। स्थिति ऐप में देखें। -हरियाणा"


# --- configuration --------------------------------------------------------------

def test_production_refuses_the_development_sms_backend(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    settings = {"APP_ENV": "production", "DATABASE_URL": db_url, "SECRET_KEY": "s", **PRODUCTION_NEEDS}
    with pytest.raises(ConfigError, match="SMS_BACKEND"):
        create_app({**settings, "SMS_BACKEND": "development"})
    with pytest.raises(ConfigError, match="SMS_GATEWAY_URL"):
        create_app({**settings, "SMS_GATEWAY_URL": ""})
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        create_app({**settings, "PUBLIC_URL": ""})
    assert create_app(settings).config["SMS_BACKEND"] == "http"


# --- the HTTP gateway ------------------------------------------------------------

class Gateway:
    """An SMS gateway on loopback: answers `status`, or with `drop` reads the request and hangs up."""

    def __init__(self):
        self.status, self.drop, self.requests = 200, False, []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((self.headers.get("Authorization"), urllib.parse.parse_qs(body.decode())))
                if gateway.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(gateway.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.stop()


def sms_row(mobile="9876500001", text="आवेदन HR-2026-ABCD-EFG0 मिला।", dlt="1107000000000000001"):
    with database.connection_context():
        notifications.queue("sms", mobile, text, language="hi", template="request_received", dlt_template_id=dlt)
        return notifications.claim("test", utcnow(), 1)[0]


def deliver_by(url, claimed):
    backend = sms.HttpGatewayBackend(url, "jansahayak", "s3cret", "HRGOVT")
    with database.connection_context():
        deliver(claimed, backend, utcnow())
    return row(claimed.id)


def test_the_gateway_gets_the_text_its_template_id_and_the_credentials(app, gateway):
    assert deliver_by(gateway.url, sms_row()).status == "sent"
    [(auth, form)] = gateway.requests
    assert auth == "Basic " + base64.b64encode(b"jansahayak:s3cret").decode()
    assert form == {"to": ["919876500001"], "sender": ["HRGOVT"], "text": ["आवेदन HR-2026-ABCD-EFG0 मिला।"],
                    "dlt_template_id": ["1107000000000000001"], "unicode": ["1"], "reference": [str(rows()[0].id)]}


@pytest.mark.parametrize("status, outcome", [(400, "failed"), (422, "failed"), (429, "pending"),
                                             (500, "pending"), (503, "pending")])
def test_the_gateways_answer_decides(app, gateway, status, outcome):
    gateway.status = status
    sent = deliver_by(gateway.url, sms_row())
    assert sent.status == outcome and str(status) in sent.last_error


def test_a_gateway_that_is_down_means_later(app, gateway):
    url = gateway.url
    gateway.stop()
    sent = deliver_by(url, sms_row())
    assert sent.status == "pending" and "cannot reach the SMS gateway" in sent.last_error


def test_a_gateway_that_hangs_up_after_the_request_leaves_it_uncertain(app, gateway):
    gateway.drop = True
    sent = deliver_by(gateway.url, sms_row())
    assert sent.status == "uncertain" and len(gateway.requests) == 1


def test_an_invalid_number_or_a_missing_template_id_fails_without_asking_the_gateway(app, gateway):
    assert deliver_by(gateway.url, sms_row(mobile="12345")).status == "failed"
    missing = deliver_by(gateway.url, sms_row(dlt=None))
    assert missing.status == "failed" and "dlt.toml" in missing.last_error
    assert gateway.requests == []
