"""The help mailbox over IMAP: `flask --app wsgi helpdesk fetch`, run from cron every minute or two.

Message by message, by UID: fetched with BODY.PEEK[] (a person looking at the
mailbox still sees it unread), stored by ingest.ingest and committed, and
only then marked done: moved to HELPDESK_IMAP_DONE_FOLDER, or, with no such
folder set, flagged with the keyword DONE. A connection that drops at any
step loses nothing (a message not yet marked is fetched again next time) and
duplicates nothing (ingest stores a message once, however often it comes).
Every network step has a timeout, so a server that stops answering ends the
run instead of holding it for ever.
"""
import collections
import contextlib
import imaplib
import re
import ssl

from flask import current_app

from . import ingest

TIMEOUT = 30  # seconds, for every step
DONE = "JansahayakDone"  # the keyword of a message stored, when done messages stay where they are
_UID = re.compile(rb"\bUID (\d+)")


class FetchError(Exception):
    """The mailbox could not be read to the end; `counts` says what was done before."""

    def __init__(self, message, counts):
        super().__init__(message)
        self.counts = counts


def fetch():
    """Store every message waiting in the help mailbox; returns counts: new, added, system, duplicate."""
    config = current_app.config
    counts = collections.Counter()
    if not config["HELPDESK_IMAP_HOST"]:
        raise FetchError("HELPDESK_IMAP_HOST is not set: there is no help mailbox to fetch from", counts)
    imap = None
    try:
        imap = _connect(config)
        done_folder = config["HELPDESK_IMAP_DONE_FOLDER"]
        _open(imap, config["HELPDESK_IMAP_FOLDER"], done_folder)
        for uid in _waiting(imap):
            raw = _message(imap, uid)
            if raw is None:
                continue  # gone since the search: another fetcher took it
            counts[_kind(ingest.ingest(raw))] += 1
            _mark_done(imap, uid, done_folder)
    except (imaplib.IMAP4.error, OSError) as error:
        where = f"{config['HELPDESK_IMAP_HOST']}:{config['HELPDESK_IMAP_PORT']}"
        raise FetchError(f"help mailbox {where}: {error}", counts) from error
    finally:
        if imap is not None:
            _close(imap)
    return counts


def _kind(received):
    if received.duplicate:
        return "duplicate"
    if received.ticket is None:
        return "system"
    return "new" if received.created else "added"


def _connect(config):
    host, port, security = config["HELPDESK_IMAP_HOST"], config["HELPDESK_IMAP_PORT"], config["HELPDESK_IMAP_SECURITY"]
    if security == "ssl":
        imap = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT)
    else:
        imap = imaplib.IMAP4(host, port, timeout=TIMEOUT)
        if security == "starttls":
            imap.starttls(ssl.create_default_context())
    _ok(imap.login(config["HELPDESK_IMAP_USER"] or "", config["HELPDESK_IMAP_PASSWORD"] or ""))
    # Asked again: a server names MOVE and UIDPLUS only once one has logged in.
    imap.capabilities = tuple(_ok(imap.capability())[0].decode().upper().split())
    return imap


def _open(imap, folder, done_folder):
    _ok(imap.select(_quoted(folder)))
    if done_folder:
        if not any(_ok(imap.list('""', _quoted(done_folder)))):
            _ok(imap.create(_quoted(done_folder)))
    elif not any(b"\\*" in line for line in imap.response("PERMANENTFLAGS")[1] if line):
        raise imaplib.IMAP4.error("the mailbox keeps no keywords of ours: set HELPDESK_IMAP_DONE_FOLDER")


def _waiting(imap):
    data = _ok(imap.uid("SEARCH", None, "UNDELETED", "UNKEYWORD", DONE))
    return sorted(int(uid) for uid in b" ".join(line for line in data if line).split())


def _message(imap, uid):
    for item in _ok(imap.uid("FETCH", str(uid), "(BODY.PEEK[])")):
        if isinstance(item, tuple):
            match = _UID.search(item[0])
            if match and int(match.group(1)) == uid:
                return item[1]
    return None


def _mark_done(imap, uid, done_folder):
    if not done_folder:
        _ok(imap.uid("STORE", str(uid), "+FLAGS.SILENT", f"(\\Seen {DONE})"))
    elif "MOVE" in imap.capabilities:
        _ok(imap.uid("MOVE", str(uid), _quoted(done_folder)))
    else:
        _ok(imap.uid("COPY", str(uid), _quoted(done_folder)))
        _ok(imap.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Deleted)"))
        _ok(imap.uid("EXPUNGE", str(uid)) if "UIDPLUS" in imap.capabilities else imap.expunge())


def _close(imap):
    try:
        imap.logout()
    except (imaplib.IMAP4.error, OSError):
        with contextlib.suppress(OSError):  # the line is dead already
            imap.shutdown()


def _ok(response):
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(b" ".join(line for line in data if isinstance(line, bytes)).decode(errors="replace"))
    return data


def _quoted(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
