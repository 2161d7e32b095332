"""Tracking numbers: HR-<year>-XXXX-XXXX in Crockford's base32.

Random (never the database id), and read back the way Crockford intended: case
does not matter, O reads as 0 and I or L as 1, and spaces or dashes a person
types in are ignored. U is not in the alphabet at all.
"""
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_COMPACT = re.compile(r"^HR(\d{4})([0-9A-Z]{8})$")


def generate(year):
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"HR-{year:04d}-{body[:4]}-{body[4:]}"


def normalize(text):
    """The canonical form of a tracking number as typed or read out, or None."""
    if not text:
        return None
    compact = re.sub(r"[\s\-]", "", str(text)).upper()
    match = _COMPACT.match(compact)
    if not match:
        return None
    year, body = match.groups()
    body = body.translate(_READ_AS)
    if any(ch not in ALPHABET for ch in body):
        return None
    return f"HR-{year}-{body[:4]}-{body[4:]}"
