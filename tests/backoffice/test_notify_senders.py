"""`flask --app wsgi mail send` as cron runs it: real processes, several at once."""
import os
import subprocess
import sys
from pathlib import Path

from backoffice.config import ROOT
from models import database, notifications
from tests.backoffice.notify_support import officer, rows

FLASK = Path(sys.executable).parent / "flask"


def queue_mails(count):
    with database.connection_context():
        for n in range(count):
            person = officer(email=f"officer{n}@example.gov.in")
            notifications.queue("email", person.email, "Hello", language="en", name=person.name,
                                subject=f"Message {n}", message_id=notifications.new_message_id("example.gov.in"))


def mail_send(db_url, smtp, tmp_path, *args):
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": db_url, "SECRET_KEY": "test-secret",
           "INSTANCE_PATH": str(tmp_path / "instance"), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port)}
    return subprocess.Popen([str(FLASK), "--app", "wsgi", "mail", "send", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_command_reports_what_it_did(app, smtp, db_url, tmp_path):
    queue_mails(2)
    out, err = mail_send(db_url, smtp, tmp_path).communicate(timeout=120)
    assert out.strip() == "2 sent, 0 to try again later, 0 failed, 0 uncertain", err
    assert len(smtp.received) == 2


def test_two_senders_at_once_send_each_message_once(app, smtp, db_url, tmp_path):
    queue_mails(50)
    smtp.delay = 0.05  # so that neither sender is done before the other has started
    senders = [mail_send(db_url, smtp, tmp_path, "--batch", "3") for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in senders]
    assert [process.returncode for process in senders] == [0, 0], outputs
    sent = [int(out.split()[0]) for out, _ in outputs]
    assert sum(sent) == 50 and min(sent) > 0
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in rows())
    assert {row.status for row in rows()} == {"sent"}
