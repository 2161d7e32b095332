"""Every file the back office hands out (documents, attachments, raw mail, exports): one response.

The name is the file's own, which a citizen, a sender or an officer chose:
only its last part is kept (no "../../etc/passwd.png"), without control
characters or quotes; Werkzeug writes a Hindi one as RFC 5987's filename*
with an ASCII fallback (RFC 6266). Always an attachment, never cached, and
nosniff, so a browser never runs a file it was told is an image as a page.
"""
import io
import re

from flask import send_file

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"]')
MAX_NAME = 200


def safe_name(name, fallback):
    """`name` as a download's file name: its last path part, cleaned; `fallback` when nothing is left."""
    last = re.split(r"[/\\]", name or "")[-1]
    cleaned = _UNSAFE.sub("", last).strip().lstrip(".").strip()
    return cleaned[-MAX_NAME:] or fallback


def download(content, mimetype, name, fallback="download"):
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True,
                         download_name=safe_name(name, fallback))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
