"""The matrix: every role × every registered admin view × every action, on rows inside and outside the scope.

Each answer is what models/scope.py allows, or indistinguishable from the
answer about a row that does not exist: the same status, redirect and flashed
messages, and nothing changed. Views are walked as the Admin holds them, so a
view added later joins unasked. Run with -s to see the number of combinations.
"""
import csv
import datetime
import io
import re

import pytest

from backoffice.admin.home import FIGURES
from models import scope
from tests.backoffice.admin_support import admin_views
from tests.backoffice.scope_support import (
    as_viewer, form_data, fresh, ids, listed_ids, log_in, outcome, world,  # noqa: F401 (fixture)
)
from tests.conftest import PASSWORD
from tests.world import ROLES

# Per row action: method, path, and the models.scope action and view flag that allow it.
ROW_ACTIONS = {
    "details": ("GET", "details/?id={id}", "view", "can_view_details"),
    "edit form": ("GET", "edit/?id={id}", "edit", "can_edit"),
    "edit submit": ("POST", "edit/?id={id}", "edit", "can_edit"),
    "delete": ("POST", "delete/", "delete", "can_delete"),
    "bulk delete": ("POST", "action/", "delete", "can_delete"),
}
# Far below what a role checks; a view or action dropped from the walk trips it.
FLOOR = {"state": 100, "rev_admin": 100, "amb_admin": 100, "tehsildar_amb": 60, "counter": 60,
         "agent": 60, "nobody": 60}
TOTAL = []
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIGURE = re.compile(r'<th scope="row"[^>]*>([^<]+)</th><td class="text-right">(\d+)</td>')


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    print(f"\nscope matrix: {sum(TOTAL)} combinations checked")


class Walk:
    """One officer logged in, asking each view for each thing; counts what it checked."""

    def __init__(self, app, client, officer, token):
        self.app, self.client, self.officer, self.token = app, client, officer, token
        self.checked = 0

    def ask(self, method, url, data=None):
        form = {**(data or {}), "csrf_token": self.token} if method == "POST" else None
        self.checked += 1
        return self.client.open(url, method=method, data=form)

    def view(self, view):
        model, base = view.model, view.url + "/"
        accessible = as_viewer(self.app, self.officer, view.is_accessible)
        assert accessible == scope.offers(fresh(self.officer), model), view.endpoint
        if not accessible:
            return self.closed(view, base)
        offered = {flag: as_viewer(self.app, self.officer, lambda f=flag: getattr(view, f))
                   for flag in ("can_create", "can_edit", "can_delete", "can_view_details")}
        for flag, action in (("can_create", "create"), ("can_edit", "edit"), ("can_delete", "delete")):
            assert not offered[flag] or scope.offers(fresh(self.officer), model, action), (view.endpoint, flag)
        self.listed(view, base)
        rows = self.candidates(model)
        missing = max(model.select(model.id).tuples(), default=(0,))[0] + 1000
        edit_data = self.edit_data(base, rows)
        self.create(view, base, offered["can_create"], edit_data)
        for name in ("details", "edit form", "edit submit", "delete", "bulk delete"):
            self.row_action(view, base, name, rows, missing, offered[ROW_ACTIONS[name][3]], edit_data)
        for name, loader in view._form_ajax_refs.items():
            found = self.ask("GET", f"{base}ajax/lookup/?name={name}&query=").get_json()
            assert {pk for pk, _ in found} <= ids(self.officer, loader.model), (view.endpoint, name)
        assert self.ask("POST", f"{base}ajax/update/").status_code == (200 if view.column_editable_list else 404)

    def closed(self, view, base):
        """A view the officer may not open refuses everything alike."""
        urls = [("GET", ""), ("GET", "export/csv/"), ("GET", "new/"), ("POST", "new/"), ("POST", "ajax/update/")]
        urls += [(method, path.format(id=1)) for method, path, _, _ in ROW_ACTIONS.values()]
        for method, path in urls:
            assert self.ask(method, base + path, {"id": 1, "rowid": 1, "action": "delete"}).status_code == 403, path

    def listed(self, view, base):
        expected = ids(self.officer, view.model)
        assert len(expected) <= view.page_size, "the world outgrew one page"
        assert listed_ids(self.ask("GET", base)) == expected, view.endpoint
        exported = list(csv.reader(io.StringIO(self.ask("GET", base + "export/csv/").get_data(as_text=True))))
        assert len(exported) - 1 == len(expected), view.endpoint

    def candidates(self, model):
        """A row he may edit, one he may delete, one he may only see, and one outside: those that exist."""
        me = {self.officer.id} if model is type(self.officer) else set()
        visible, editable = ids(self.officer, model) - me, ids(self.officer, model, "edit") - me
        deletable = ids(self.officer, model, "delete") - me
        outside = {pk for (pk,) in model.select(model.id).tuples()} - ids(self.officer, model)
        picks = [min(group, default=None) for group in (editable, deletable, visible - editable, outside)]
        return list(dict.fromkeys(pk for pk in picks if pk is not None))

    def edit_data(self, base, rows):
        """The edit form of a row he may edit, as a browser would post it back, or a forger's guess."""
        for pk in rows:
            page = self.client.get(f"{base}edit/?id={pk}")
            if page.status_code == 200:
                return form_data(page)
        return {"name": "changed", "name_en": "changed"}

    def create(self, view, base, offered, data):
        model = view.model
        page = self.ask("GET", base + "new/")
        if not offered:
            assert outcome(self.client, page) == (302, base, ()), view.endpoint
            before = model.select().count()
            assert outcome(self.client, self.ask("POST", base + "new/", data))[0] == 302
            assert model.select().count() == before, view.endpoint
            return
        assert page.status_code == 200
        copy = unique_copy(model, data)
        if "password" in copy:
            copy["password"] = PASSWORD  # one a new officer may be given
        before = ids(self.officer, model)
        self.ask("POST", base + "new/", copy)
        created = ids(self.officer, model) - before
        assert len(created) == 1, (view.endpoint, copy)
        self.forged_create(view, base, copy)

    def forged_create(self, view, base, copy):
        """The same row again, pointed at a department or district outside his hands: refused."""
        column = scope.PLACED_BY.get(view.model)
        if column is None:
            return
        allowed = {row.id for row in column.rel_model.select().where(scope.targets(fresh(self.officer), column))}
        outside = {pk for (pk,) in column.rel_model.select(column.rel_model.id).tuples()} - allowed
        if not outside:
            return
        before = view.model.select().count()
        self.ask("POST", base + "new/", {**unique_copy(view.model, copy), column.name: str(min(outside))})
        assert view.model.select().count() == before, view.endpoint

    def row_action(self, view, base, name, rows, missing, offered, edit_data):
        method, path, action, _ = ROW_ACTIONS[name]
        data = {"edit submit": edit_data, "delete": {}, "bulk delete": {"action": "delete"}}.get(name)

        def send(pk):
            form = None if data is None else {**data, "id": pk, "rowid": pk, "url": base}
            return outcome(self.client, self.ask(method, base + path.format(id=pk), form))

        absent = send(missing)
        for pk in rows:
            allowed = offered and pk in ids(self.officer, view.model, action)
            before = view.model.get_or_none(view.model.id == pk)
            answer = send(pk)
            where = (view.endpoint, name, pk)
            if not allowed:
                assert answer == absent, where
                after = view.model.get_or_none(view.model.id == pk)
                assert (after and after.__data__) == (before and before.__data__), where
            elif name in ("details", "edit form"):
                assert answer[0] == 200, where
            elif name == "edit submit":
                assert ("success", "Record was successfully saved.") in answer[2], (where, answer)
            else:
                gone = view.model.get_or_none(view.model.id == pk) is None
                assert gone or any("cannot be deleted" in message for _, message in answer[2]), (where, answer)

    def dashboard(self):
        """The home page's figures: a count of his own rows, for each model he is offered."""
        page = self.ask("GET", "/admin/")
        officer = fresh(self.officer)
        if not scope.enters(officer):
            assert page.status_code == 403
            return
        shown = dict(FIGURE.findall(page.get_data(as_text=True)))
        expected = {}
        with self.app.test_request_context():
            for label, model, narrowing in FIGURES:
                if scope.offers(officer, model):
                    query = scope.rows(officer, model)
                    expected[str(label)] = str((query if narrowing is None else query.where(narrowing)).count())
        assert shown == expected


def unique_copy(model, data):
    """The form of a row, with each text or date column that must be unique made so."""
    unique = {f.name for f in model._meta.sorted_fields if f.unique}
    unique |= {name for entry in model._meta.indexes if isinstance(entry, tuple) and entry[1] for name in entry[0]}
    return {k: ([unique_value(v[0])] if k in unique and isinstance(v, list) else v) for k, v in data.items()}


def unique_value(text):
    if ISO_DATE.fullmatch(text):  # a holiday's date: the next day
        return (datetime.date.fromisoformat(text) + datetime.timedelta(days=1)).isoformat()
    # A row's id, or an empty select, names a row and stays; a code in capitals (a service's must be) stays so.
    return text if text.isdigit() or text == "__None" else text + ("X" if text.isupper() else "x")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_view_and_action(app, client, world, role):
    officer = getattr(world, role)
    walk = Walk(app, client, officer, log_in(client, officer))
    # Unwrapped in a connection context: each request closes the connection it
    # shares with the test, and peewee opens it again for the next query.
    walk.dashboard()
    for view in admin_views(app):
        if hasattr(view, "model"):
            walk.view(view)
    print(f"\n{role}: {walk.checked} combinations")
    TOTAL.append(walk.checked)
    assert walk.checked >= FLOOR[role]
