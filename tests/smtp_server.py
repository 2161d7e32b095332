"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1), with the failures a real one has."""
import asyncio
import email
import threading
from email import policy

from aiosmtpd.controller import Controller


class SmtpServer:
    """Keeps every message it accepts; can refuse chosen recipients, lose the
    connection after a message's data, and stop and start again on its port."""

    def __init__(self, port):
        self.port = port
        self.received = []  # email.message.EmailMessage, as a mail client would read them
        self.refuse = {}  # recipient -> the reply to RCPT, such as "550 5.1.1 No such user"
        self.drop_after_data = set()  # recipients whose message is kept, and then no reply is given
        self.delay = 0  # seconds to think before answering a message's data, as a busy server does
        self.lock = threading.Lock()
        self.controller = None

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        with self.lock:
            return [m for m in self.received if m["To"].addresses[0].addr_spec == address]

    def message_ids(self):
        with self.lock:
            return [m["Message-ID"] for m in self.received]

    # aiosmtpd's handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        message.raw = envelope.original_content
        await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(message)
        if self.drop_after_data & set(envelope.rcpt_tos):
            # Accepted, and then the line goes dead before the answer: the
            # sender cannot know that the message arrived.
            server.transport.close()
        return "250 OK"
