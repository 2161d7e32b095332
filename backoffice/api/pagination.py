"""Relay-style pages over a query ordered by a unique key (keyset pagination).

A cursor is the key of a row, base64-encoded so clients treat it as opaque; a
page starts after that key, so rows added or removed between two requests
neither repeat nor shift the following pages.
"""
import base64
import binascii
import datetime

from flask import current_app
from flask_babel import gettext
from graphql import GraphQLError

_PREFIX = "key:"
BAD_USER_INPUT = "BAD_USER_INPUT"


def encode_cursor(key):
    return base64.urlsafe_b64encode(f"{_PREFIX}{key}".encode()).decode("ascii")


def decode_cursor(cursor):
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith(_PREFIX):
        raise bad_input(gettext('"after" is not a cursor from this API; '
                                'pass the endCursor of the previous page.'))
    return text[len(_PREFIX):]


def page_size(first):
    limit = current_app.config["GRAPHQL_MAX_PAGE_SIZE"]
    if first < 0 or first > limit:
        raise bad_input(gettext('"first" must be between 0 and %(limit)s, not %(first)s.',
                                limit=limit, first=first))
    return first


def page(query, key, first, after):
    """(rows, has_next_page, total_count) for `first` rows of `query` after the cursor `after`."""
    size = page_size(first)
    start = decode_cursor(after) if after is not None else None
    total = query.count()
    if start is not None:
        query = query.where(key > start)
    # One row more than asked tells whether another page follows.
    rows = list(query.order_by(key).limit(size + 1))
    return rows[:size], len(rows) > size, total


def bad_input(message):
    return GraphQLError(message, extensions={"code": BAD_USER_INPUT})


def timed_page(query, moment, key, *, first, after, descending=False):
    """(rows, has_next_page, total_count, cursor of a row) for `query` in order of the datetime column `moment`,
    then of the unique column `key`: ascending with rows without a moment last (a queue by due date), or
    descending (newest first; `moment` never null then). The cursor holds the row's moment and key."""
    size = page_size(first)
    total = query.count()
    if after is not None:
        at, last = _timed_key(after)
        if descending:
            query = query.where((moment < at) | ((moment == at) & (key < last)))
        elif at is None:
            query = query.where(moment.is_null() & (key > last))
        else:
            query = query.where((moment > at) | ((moment == at) & (key > last)) | moment.is_null())
    order = (moment.desc(), key.desc()) if descending else (moment.is_null(), moment, key)
    rows = list(query.order_by(*order).limit(size + 1))

    def cursor(row):
        at = getattr(row, moment.name)
        return encode_cursor(f"{at.isoformat() if at else ''}|{getattr(row, key.name)}")
    return rows[:size], len(rows) > size, total, cursor


def _timed_key(cursor):
    at, _, last = decode_cursor(cursor).partition("|")
    try:
        return (datetime.datetime.fromisoformat(at) if at else None), last
    except ValueError:
        raise bad_input(gettext('"after" is not a cursor from this API; '
                                'pass the endCursor of the previous page.')) from None
