"""What every admin screen shares.

Login and a role grant or a post to enter, CSRF on every form and action,
labels in the reader's language, times in IST, saves that are all or nothing,
deletes that refuse rows still in use, and `rows()`: the one place the rows a
screen shows are narrowed, by the jurisdiction rules of models/scope.py.
"""
import datetime
import functools
import itertools
import operator
from urllib.parse import urlencode

from flask import abort, flash, g, has_request_context, redirect, request, url_for
from flask_admin._compat import csv_encode
from flask_admin.actions import action
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee.filters import BasePeeweeFilter, FilterEqual
from flask_admin.contrib.peewee.form import CustomModelConverter
from flask_admin.form import SecureForm
from flask_admin.model import typefmt
from flask_babel import get_locale, gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from markupsafe import Markup, escape
from peewee import JOIN, AutoField, ForeignKeyField, IntegrityError
from werkzeug.utils import secure_filename
from wtforms.validators import ValidationError

from backoffice.i18n import indian_number
from backoffice.messages import describe
from models import DomainError, Service, database, scope
from models.timeutil import to_ist

from . import labels, trail
from .ids import page_number, row_id
from .scoped import ScopedSelect, refuse_inline_deletes, refuse_outside, viewer
from .search import Searched, escape as escape_like
from .spreadsheet import csv_response

# Foreign keys declared with these belong to the row they point at (an
# officer's posts go with him), so they never hold up its delete.
OWNED = ("CASCADE", "SET NULL")
# The action get_one asks models.scope for, by the Flask-Admin page serving it
# (ajax_update is the list's inline edit); any other page only reads.
PAGE_ACTIONS = {"edit_view": "edit", "delete_view": "delete", "ajax_update": "edit"}


def may_enter():
    """Any officer with a role grant or a post; which rows he sees is for the scope rules."""
    if not current_user.is_authenticated:
        return False
    # Asked once per request: the menu checks every view.
    if "may_enter_admin" not in g:
        g.may_enter_admin = scope.enters(viewer())
    return g.may_enter_admin


def language_url(code):
    """This page in another language, keeping its search, filters and page."""
    args = request.args.copy()
    args["lang"] = code
    return f"{request.path}?{urlencode(list(args.items(multi=True)))}"


class SecureViewMixin:
    # The models whose rows this view shows, each narrowed by models/scope.py.
    # Every view declares them: tests/backoffice/test_admin_scope.py fails on
    # one that does not, and walks each declared view in its matrix.
    scoped_models = ()

    def is_accessible(self):
        return may_enter()

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(403)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    def render(self, template, **kwargs):
        if kwargs.get("count"):  # a list's "List (12,345)": its only use in Flask-Admin's templates
            kwargs["count"] = indian_number(kwargs["count"])
        page = super().render(template, logout_form=SecureForm(), language_url=language_url, **kwargs)
        # Flask-Admin's admin/base.html writes a bare <html> and its narrow screens' menu button's English
        # label outside any block, so they can only be set on the rendered page.
        toggle = escape(_("Show or hide the menu"))
        page = page.replace('aria-label="Toggle navigation"', f'aria-label="{toggle}"', 1)
        return page.replace("<html>", f'<html lang="{get_locale()}">', 1)


def ist(view, value, name):
    # Dates as India writes them, day first, in English and in Hindi.
    return to_ist(value).strftime("%d-%m-%Y %H:%M")


def service_label(service):
    """A service as the reader names it: its code and its name in his language."""
    return f"{service.code}: {service.name_hi}" if str(get_locale()) == "hi" else str(service)


def service_cell(view, value, name):
    return service_label(value)


def in_language(language):
    """A column formatter marking the cell's text as written in `language`, whatever the page's."""
    def cell(view, context, row, name):
        value = getattr(row, name)
        return Markup('<span lang="{}">{}</span>').format(language, value) if value else ""
    return cell


class LiveOptions:
    """Filter choices read each time the list is drawn.

    Flask-Admin reads a filter's options once, when the app starts, before
    the database has any rows; this stands in for the list until it is drawn.
    """

    def __init__(self, read):
        self.read = read

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(self.read())


def related_rows(model):
    """The rows of `model` the officer sees, as filter choices."""
    return LiveOptions(lambda: sorted(((str(row.id), str(row)) for row in scope.rows(viewer(), model)),
                                      key=operator.itemgetter(1)))


def distinct_values(field):
    query = field.model.select(field).distinct().order_by(field).tuples()
    return LiveOptions(lambda: [(value, value) for (value,) in query.clone() if value])


class ChoiceFilter(FilterEqual):
    def operation(self):
        return _l("is")


def choice_filter(field, options=None):
    """Equality on a coded column, offered as its worded choices."""
    return ChoiceFilter(field, labels.column(field.name), options=options or labels.value_choices(field))


class RelatedFilter(BasePeeweeFilter):
    """Rows whose `column` points at the chosen row, or at a row whose `via` does.

    Flask-Admin's peewee filters refuse a ForeignKeyField ('Unsupported filter
    type'), and on a related model's field they join that table by guessing,
    which breaks once two filters need different tables. Comparing our own
    column, through a subquery when needed, joins nothing.
    """

    def __init__(self, column, via=None):
        self.via = via
        target = via or column
        super().__init__(column, labels.column(target.name), options=related_rows(target.rel_model))

    def apply(self, query, value):
        if self.via is None:
            return query.where(self.column == value)
        owners = self.via.model.select(self.via.model._meta.primary_key).where(self.via == value)
        return query.where(self.column.in_(owners))

    def validate(self, value):
        return row_id(value) is not None

    def clean(self, value):
        return row_id(value)

    def operation(self):
        return _l("is")


class LabelledConverter(CustomModelConverter):
    """Form fields labelled, and coded choices worded, as in the lists (inline forms too)."""

    def __init__(self, view, additional=None):
        super().__init__(view, additional)
        # Flask-Admin hands only peewee's old PrimaryKeyField to its optional
        # hidden-id converter; a plain AutoField id came out required, so every
        # new inline row (an officer's post) failed (flask-admin issue #1841).
        self.converters[AutoField] = self.handle_pk

    def convert(self, model, field, field_args):
        args = {"label": labels.column(field.name)}
        if field.choices:
            args["choices"] = labels.value_choices(field)
        if isinstance(field, ForeignKeyField):
            # For handle_foreign_key, and for a form_overrides select, which must be a ScopedSelect.
            args["column"] = field
        args.update(field_args or {})
        return super().convert(model, field, args)

    def handle_foreign_key(self, model, field, column=None, **kwargs):
        if field.null:
            kwargs["allow_blank"] = True
        return field.name, ScopedSelect(column=field, **kwargs)


def duplicate_columns(row):
    """The unique column, or set of columns, whose value another row already holds."""
    model = type(row)
    unique_sets = [(f.name,) for f in model._meta.sorted_fields if f.unique]
    # Index objects (a partial index, such as the one on state-wide holidays' dates) are left to the database.
    unique_sets += [tuple(entry[0]) for entry in model._meta.indexes if isinstance(entry, tuple) and entry[1]]
    for names in unique_sets:
        values = [row.__data__.get(name) for name in names]
        if None in values:
            continue  # NULLs never collide
        query = model.select().where(*[getattr(model, n) == v for n, v in zip(names, values)])
        if row.id is not None:
            query = query.where(model.id != row.id)
        if query.exists():
            return names
    return None


def delete_refusal(row):
    """Why `row` must stay, naming the kinds of rows that still point at it, or None."""
    uses = {}
    for condition, fk in row.dependencies():
        # dependencies() walks the whole tree; only the rows pointing straight
        # at this one decide, and those deleted or cleared with it do not.
        if fk.rel_model is type(row) and (fk.on_delete or "").upper() not in OWNED:
            uses.setdefault(fk.model, []).append(condition)
    counts = []
    for model, conditions in uses.items():
        count = model.select().where(functools.reduce(operator.or_, conditions)).count()
        if count:
            counts.append(f"{labels.row_kind(model)} ({count})")
    if not counts:
        return None
    return _("“%(row)s” cannot be deleted: %(uses)s still refer to it. Change or delete those first.",
             row=row, uses=", ".join(counts))


class SecureModelView(SecureViewMixin, ModelView):
    form_base_class = SecureForm
    model_form_converter = LabelledConverter
    column_labels = labels.COLUMNS
    can_view_details = True
    can_export = True
    page_size = 25
    column_type_formatters = {**typefmt.BASE_FORMATTERS, datetime.datetime: ist, Service: service_cell}
    column_type_formatters_detail = {**typefmt.DETAIL_FORMATTERS, datetime.datetime: ist, Service: service_cell}
    column_type_formatters_export = {**typefmt.EXPORT_FORMATTERS, datetime.datetime: ist}

    def __init__(self, model, *args, **kwargs):
        # Coded columns read as words in lists, details and exports.
        self.column_choices = {f.name: labels.value_choices(f) for f in model._meta.sorted_fields if f.choices}
        # What is kept in both languages (name_en, name_hi, body_hi ...) says which each is, whatever the
        # page's language, so that screen readers and fonts take it as English or Hindi; exports stay plain.
        marked = {f.name: in_language(f.name[-2:]) for f in model._meta.sorted_fields
                  if f.name.endswith(("_en", "_hi"))}
        if marked:
            if self.column_formatters_export is None:
                self.column_formatters_export = self.column_formatters
            if self.column_formatters_detail is not None:
                self.column_formatters_detail = {**marked, **self.column_formatters_detail}
            self.column_formatters = {**marked, **self.column_formatters}
        super().__init__(model, *args, **kwargs)
        # The rows the list shows beside each of its own, read with it in one
        # query: a page costs the same number of queries however long it is.
        shown = dict(self._list_columns)
        self.shown_keys = [f for f in model._meta.sorted_fields if isinstance(f, ForeignKeyField) and f.name in shown]

    def _get_column_by_idx(self, idx):
        # A ?sort= typed by hand may name a column the list shows but cannot
        # sort by (a masked or computed one): the list's own order, not a crash.
        column = super()._get_column_by_idx(idx)
        return column if column is not None and column[0] in self._sortable_columns else None

    # The buttons follow the officer, asked per request (Flask-Admin reads these
    # as attributes); the pages refuse what a button would not offer.
    @property
    def can_create(self):
        return self.offers("create")

    @property
    def can_edit(self):
        return self.offers("edit")

    @property
    def can_delete(self):
        return self.offers("delete")

    def offers(self, action):
        # Outside a request (Flask-Admin setting the view up) nothing is offered.
        return has_request_context() and may_enter() and scope.offers(viewer(), self.model, action)

    def is_accessible(self):
        return self.offers("view")

    def rows(self, action="view"):
        """The rows this officer may `action` (an action of models.scope.ACTIONS).

        Every read starts here: the list and its count (Flask-Admin's peewee
        view has no separate count query), search, filters, export, the bulk
        delete ("delete"), and get_one for the details, edit and delete pages.
        """
        return self.joined(scope.rows(viewer(), self.model, action))

    def joined(self, query):
        for fk in self.shown_keys:
            join = JOIN.LEFT_OUTER if fk.null else JOIN.INNER
            query = query.select_extend(fk.rel_model).switch(self.model).join(fk.rel_model, join, on=fk)
        return query

    def _handle_join(self, query, field, joins):
        # Searching a related column (a request's citizen's mobile) joins its
        # table, which rows() has joined already: a second join would clash.
        joins.update(fk.rel_model.__name__ for fk in self.shown_keys)
        return super()._handle_join(query, field, joins)

    def get_query(self):
        return self.rows("view")

    def _export_csv(self, return_url):
        # Flask-Admin's own writes each cell as typed (a name typed as =HYPERLINK(...) runs in a spreadsheet)
        # and without the mark Excel needs to read UTF-8 (the Hindi names): the dashboard's file's way instead.
        _count, found = self._export_data()
        columns = self._export_columns
        rows = itertools.chain([[str(title) for _name, title in columns]],
                               ([csv_encode(self.get_export_value(row, name)) for name, _title in columns]
                                for row in found))
        return csv_response(rows, secure_filename(self.get_export_name(export_type="csv")))

    def _get_list_extra_args(self):
        args = super()._get_list_extra_args()
        args.page = page_number(args.page)
        return args

    def get_one(self, id):
        """The row for the page being served, asked with that page's action.

        A row outside it comes back None, exactly as a missing one, and
        Flask-Admin answers both alike ("Record does not exist.").
        """
        pk = row_id(id)
        if pk is None:
            return None  # a mangled link reads like a missing row
        action = PAGE_ACTIONS.get(request.endpoint.rpartition(".")[2], "view")
        return self.rows(action).where(self.model._meta.primary_key == pk).first()

    def init_search(self):
        found = super().init_search()
        self._search_fields = [Searched(column) for column in self._search_fields]
        return found

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        # Each word escaped here, the last step before Flask-Admin builds its LIKE patterns.
        if search:
            search = " ".join(map(escape_like, search.split(" ")))
        return super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)

    def search_placeholder(self):
        names = [c if isinstance(c, str) else c.name for c in self.column_searchable_list or ()]
        return ", ".join(str(labels.column(name)) for name in names) or None

    def handle_view_exception(self, exc):
        if isinstance(exc, DomainError):
            flash(describe(exc), "error")
            return True
        return super().handle_view_exception(exc)

    def on_model_change(self, form, row, is_created):
        refuse_outside(row, is_created)
        refuse_inline_deletes(form)
        taken = duplicate_columns(row)
        if taken:
            raise ValidationError(_("This %(columns)s is already used by another row.",
                                    columns=" + ".join(str(labels.column(n)) for n in taken)))

    # A failed save leaves nothing behind, inline rows (an officer's posts) and
    # audit entries included; a saved one is never without its audit entries.
    def create_model(self, form):
        with database.atomic() as transaction:
            row = super().create_model(form)
            if row:
                trail.record({}, trail.state(self, row))
            else:
                transaction.rollback()
        return row

    def update_model(self, form, row):
        with database.atomic() as transaction:
            # Read before Flask-Admin copies the form onto the row.
            before = trail.state(self, row)
            saved = super().update_model(form, row)
            if saved:
                trail.record(before, trail.state(self, row))
            else:
                transaction.rollback()
        return saved

    # Flask-Admin's peewee delete is recursive: it would take the rows that
    # point at this one (a service's requests) with it, without a word.
    def delete_model(self, row):
        return self.delete_rows([row])

    @action("delete", _l("Delete"), _l("Delete the selected rows?"))
    def action_delete(self, ids):
        wanted = [pk for pk in map(row_id, ids) if pk]
        rows = list(self.rows("delete").where(self.model._meta.primary_key.in_(wanted)))
        if rows and self.delete_rows(rows):
            flash(ngettext("%(num)d row deleted.", "%(num)d rows deleted.", len(rows)), "success")

    def delete_rows(self, rows):
        """Delete all of `rows`, or none if any is still in use, saying why."""
        refusals = [message for message in map(delete_refusal, rows) if message]
        for message in refusals:
            flash(message, "error")
        if refusals:
            return False
        try:
            with database.atomic():
                for row in rows:
                    self.on_model_delete(row)
                    trail.record(trail.state(self, row), {})
                    row.delete_instance()
        except IntegrityError:
            # A row started pointing at one of them after the check above.
            flash(_("Nothing was deleted: another row refers to it. Reload the page and try again."), "error")
            return False
        for row in rows:
            self.after_model_delete(row)
        return True


class ReadOnlyModelView(SecureModelView):
    """Lists and details only: these rows change through their workflows."""
    can_create = False
    can_edit = False
    can_delete = False
