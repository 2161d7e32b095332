"""A real IMAP server for the help desk's tests: a private Debian dovecot on loopback, and a proxy that cuts lines.

See /work/shared/notes/imap-test-server.md for what dovecot needs: its own
config file, no TLS, login processes as dovenull and mail as dovecot (so it is
started as root). Any user logs in with PASSWORD and gets a mailbox of his
own, so each test takes a fresh one.
"""
import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

PASSWORD = "secret"
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = jansahayak-test-{port}
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unavailable():
    """Why no dovecot can be started here, or None."""
    if shutil.which("dovecot", path=SEARCH_PATH) is None:
        return "the help desk's IMAP tests need dovecot: apt-get install -y dovecot-imapd"
    if os.geteuid() != 0:
        return "the help desk's IMAP tests start dovecot as root (its login and mail users are dovenull and dovecot)"
    return None


class ImapServer:
    def __init__(self):
        self.port = free_port()
        # Not under pytest's private temporary folder: the dovecot user must reach the mail in it.
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.root.chmod(0o755)
        self.config = self.root / "dovecot.conf"

    def start(self):
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        shutil.chown(self.root / "mail", "dovecot", "dovecot")
        self.config.write_text(CONFIG.format(root=self.root, port=self.port, password=PASSWORD))
        subprocess.run([shutil.which("dovecot", path=SEARCH_PATH), "-c", str(self.config)], check=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                imaplib.IMAP4("127.0.0.1", self.port, timeout=2).shutdown()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"dovecot did not start: {self.log()}")
                time.sleep(0.1)

    def stop(self):
        subprocess.run([shutil.which("doveadm", path=SEARCH_PATH), "-c", str(self.config), "stop"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else "(no log)"

    def mailbox(self):
        return Mailbox(self.port, f"help-{uuid.uuid4().hex[:10]}@jansahayak.example")


class Mailbox:
    """One user's mailbox, as a mail client sees it: to put mail in and look at what the fetch did."""

    def __init__(self, port, user):
        self.port, self.user, self.password = port, user, PASSWORD

    def client(self):
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def append(self, *messages, folder="INBOX"):
        imap = self.client()
        try:
            for raw in messages:
                status, data = imap.append(folder, None, None, raw)
                assert status == "OK", data
        finally:
            imap.logout()

    def flags(self, folder="INBOX"):
        """{uid: set of flags} of the folder's messages."""
        imap = self.client()
        try:
            status, _ = imap.select(folder)
            if status != "OK":
                return {}
            status, data = imap.uid("FETCH", "1:*", "(FLAGS)")
            result = {}
            for line in data:
                if line:
                    text = line.decode()
                    uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                    result[uid] = set(text.split("FLAGS (")[1].split(")")[0].split())
            return result
        finally:
            imap.logout()


class CuttingProxy:
    """A TCP proxy to `port` that kills the line mid-command, as a network or a server can.

    `cut(when, after)`: once the client sends data containing `when`, the
    line is cut: at once, the command never reaching the server (`after`
    None), or after the server's first `after` bytes of answer.
    """

    def __init__(self, port):
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.when = self.after = None
        self.left = None  # bytes of answer still to pass on before the cut
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self, when, after=None):
        with self.lock:
            self.when, self.after, self.left = when, after, None

    def close(self):
        self.listener.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(client, server, client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, client, server), daemon=True).start()

    def _pump(self, source, sink, client, server):
        try:
            while data := source.recv(65536):
                cut = False
                with self.lock:
                    if source is client and self.when is not None and self.when in data:
                        self.when = None
                        if self.after is None:
                            data, cut = b"", True
                        else:
                            self.left = self.after
                    elif source is server and self.left is not None:
                        data, self.left = data[:self.left], self.left - min(self.left, len(data))
                        cut = self.left == 0
                    if cut:
                        self.left = None
                        self.cuts += 1
                if data:
                    sink.sendall(data)
                if cut:
                    break
        except OSError:
            pass
        for end in (client, server):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
