"""How fast `mail send` empties the outbox into a local SMTP server, against that server's own pace (issue 11, item 5).

    .venv/bin/python -m bench.outbox --mails 10000 [--postgresql URL]

Queues --mails e-mails (Hindi subject and body, as most citizens read them)
in a fresh database, starts aiosmtpd on a free loopback port, and times
backoffice.notify.sender.send_due until every one is sent. The floor is the
same number of messages of the same size handed to the same server by
smtplib over one connection, nothing else done: the target is that the
sender is limited by the server, so the ratio is what matters.
"""
import argparse
import smtplib
import socket
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from backoffice.notify import mail, sender
from models import database, migrate, notifications
from models.notifications import Outbox

from .common import app_for, load_average, postgresql_schema, table

SUBJECT = "आपका आवेदन HR-2026-ABCD-EFG0 स्वीकृत हुआ"
BODY = ("नमस्ते,\n\nआपका आवेदन स्वीकृत हो गया है। प्रमाणपत्र ऐप से डाउनलोड करें या काउंटर से लें।\n\n"
        "Your request has been approved; download the certificate from the app or collect it at the counter.\n")


class Counting:
    """An aiosmtpd handler that accepts everything and counts it."""

    def __init__(self):
        self.received = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received += 1
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue(mails):
    with database.atomic():
        for number in range(mails):
            notifications.queue("email", f"citizen{number}@bench.invalid", BODY, language="hi", subject=SUBJECT,
                                name="नागरिक", message_id=notifications.new_message_id("bench.invalid"))


def floor(port, mails, message):
    """Seconds for smtplib alone to hand `mails` copies of `message` to the server over one connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for number in range(mails):
            smtp.sendmail("noreply@bench.invalid", [f"citizen{number}@bench.invalid"], message)
    return time.perf_counter() - started


def measure(url, mails):
    """[(label, figure, target, verdict)] for sending `mails` e-mails from the database at `url` (emptied first)."""
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = app_for(url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        with app.app_context(), database.connection_context():
            migrate.upgrade()
            queue(mails)
            message = mail.build(Outbox.select().first(), app.config["MAIL_DEFAULT_SENDER"]).as_bytes()
            started = time.perf_counter()
            counts = sender.send_due()
            took = time.perf_counter() - started
            sent = Outbox.select().where(Outbox.status == "sent").count()
        received = handler.received
        bare = floor(port, mails, message)
    finally:
        controller.stop()
    rate, floor_rate = sent / took, mails / bare
    return [
        (f"`mail send`, {mails:,} e-mails to aiosmtpd on loopback", f"{rate:,.0f} mails/s ({took:.1f} s)",
         "limited by the SMTP server", "met" if rate >= floor_rate / 2 else "MISSED"),
        ("the floor: smtplib alone, one connection, the same messages", f"{floor_rate:,.0f} mails/s ({bare:.1f} s)",
         "", ""),
        ("sender ÷ floor", f"{rate / floor_rate:.2f}", "", ""),
        ("sent, received by the server", f"{sent:,} ({dict(counts)}), {received:,}", f"{mails:,} each",
         "met" if sent == mails == received else "MISSED"),
    ]


def section(name, rows):
    return [f"### Outbox sender, {name}", "", f"Load average {load_average()}.", ""] + table(rows) + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--postgresql", help="a PostgreSQL server's URL: a fresh schema there, dropped afterwards")
    parser.add_argument("--out", help="write the markdown here rather than print it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        if args.postgresql:
            url, drop, version = postgresql_schema(args.postgresql)
            try:
                lines = section(f"PostgreSQL {version}", measure(url, args.mails))
            finally:
                drop()
        else:
            lines = section(f"SQLite {sqlite3.sqlite_version}", measure(f"sqlite:///{folder}/outbox.db", args.mails))
    text = "\n".join(lines)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
