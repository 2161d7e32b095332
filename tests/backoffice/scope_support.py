"""Helpers for the scope tests of the admin screens (tests/backoffice/test_admin_scope*.py)."""
import re
from html.parser import HTMLParser

import pytest
from flask_login import login_user

from models import Officer, database, scope
from tests import world as world_module
from tests.conftest import csrf_token, login

ROW_ID = re.compile(r"details/\?id=(\d+)")


@pytest.fixture
def world(app):
    with database.connection_context():
        return world_module.build()


def log_in(client, officer):
    response = login(client, officer.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    # Any admin form carries the session's token; one who may not enter posts without it.
    page = client.get("/admin/")
    return csrf_token(client, "/admin/") if page.status_code == 200 else ""


def outcome(client, response):
    """What a response tells the officer: its status, where it sends him, and the messages it flashes."""
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return response.status_code, response.headers.get("Location"), tuple(tuple(f) for f in flashes)


def fresh(officer):
    """The officer read again, so that no jurisdiction cached on an old copy decides."""
    return Officer.get_by_id(officer.id)


def ids(officer, model, action="view"):
    return {row.id for row in scope.rows(fresh(officer), model, action)}


def listed_ids(response):
    return {int(pk) for pk in ROW_ID.findall(response.get_data(as_text=True))}


def as_viewer(app, officer, read):
    """`read(...)` inside a request made by `officer`: what a view offers him."""
    with app.test_request_context():
        login_user(fresh(officer))
        return read()


class FormReader(HTMLParser):
    """The fields a browser would submit from each form of a page, as it stands."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.forms[-1].setdefault(name, []).append(attrs.get("value", "y"))
        elif tag == "select" and name:
            self._select = name
            self.forms[-1][name] = []
        elif tag == "option" and self._select:
            values = self.forms[-1][self._select]
            # The first option is the one shown until another is marked selected.
            if "selected" in attrs or not values:
                values[:] = [attrs.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = name
            self.forms[-1][name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea][0] += data


def form_data(response):
    """The fields of the page's main form (the one with the most), ready to post back."""
    reader = FormReader()
    reader.feed(response.get_data(as_text=True))
    return max(reader.forms, key=len)
