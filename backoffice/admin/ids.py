"""Row ids and page numbers typed into addresses and forms, read in one place.

The databases' integers stop at 2**63 - 1: a longer number reached the query
and failed there (a 500). Anything that cannot name a row reads as a missing
row instead.
"""
import re

MAX_ID = 2**63 - 1
# More pages than any list here will have; a page past it is empty, not an overflowing OFFSET.
MAX_PAGE = 10**6
_DIGITS = re.compile(r"[0-9]{1,19}")  # str.isdigit() takes "²", which int() refuses


def row_id(value):
    """The row id `value` spells, or None when it cannot name a row."""
    if value is None or not _DIGITS.fullmatch(str(value)):
        return None
    pk = int(value)
    return pk if 1 <= pk <= MAX_ID else None


def page_number(value):
    """A list's page (0 first) from ?page=, within 0..MAX_PAGE."""
    return min(max(value or 0, 0), MAX_PAGE)
