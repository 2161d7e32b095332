"""The audit log screen: read-only, and for state administrators alone."""
import datetime

from flask_admin.contrib.peewee.filters import DateBetweenFilter, FilterEqual
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from models import ALL_MODELS, AuditEntry, audit, scope
from models.timeutil import IST

from . import labels
from .base import ReadOnlyModelView, RelatedFilter, choice_filter

MODELS = {model._meta.table_name: model for model in ALL_MODELS}
# Past this many characters a value is cut short in the list; the details page shows it whole.
LIST_VALUE_LENGTH = 80


class ISTDaysFilter(DateBetweenFilter):
    """Entries made on these days as India counts them: stored times are UTC."""

    def apply(self, query, value):
        first, last = value
        return query.where((self.column >= utc_midnight(first))
                           & (self.column < utc_midnight(last + datetime.timedelta(days=1))))


def utc_midnight(day):
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=IST)
    return start.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def worded(entry, name, value, limit=None):
    if value is None:
        return "–"
    field = MODELS[entry.model_name]._meta.fields.get(name) if entry.model_name in MODELS else None
    if field is not None and field.choices:
        value = labels.VALUES.get(value, value)
    text = str(value)
    return text if limit is None or len(text) <= limit else text[:limit] + "…"


def change_lines(entry, limit=None):
    """Each changed field as "Field: before → after" (only the after of a new row, the before of a deleted one)."""
    lines = []
    for name, change in entry.changes.items():
        if change == audit.CHANGED:  # a secret: that it changed is all there is to say
            text = _("changed")
        else:
            before, after = (worded(entry, name, value, limit) for value in change)
            if entry.action in ("create", "grant"):
                text = after
            elif entry.action in ("delete", "revoke"):
                text = before
            else:
                text = f"{before} → {after}"
        lines.append(f"{labels.column(name)}: {text}")
    return lines


def changes_html(limit):
    def format_changes(view, context, entry, name):
        return Markup("<br>").join(escape(line) for line in change_lines(entry, limit))
    return format_changes


def changes_text(view, context, entry, name):
    return "; ".join(change_lines(entry))


def model_kind(view, context, entry, name):
    model = MODELS.get(entry.model_name)
    return labels.row_kind(model) if model else entry.model_name


def officer_name(view, context, entry, name):
    return str(entry.officer) if entry.officer_id else _("System")


class AuditView(ReadOnlyModelView):
    scoped_models = (AuditEntry,)
    column_list = ("at", "officer", "action", "model_name", "row_id", "changes", "note")
    column_filters = (
        RelatedFilter(AuditEntry.officer),
        choice_filter(AuditEntry.model_name, [(table, labels.row_kind(model)) for table, model in MODELS.items()]),
        FilterEqual(AuditEntry.row_id, labels.column("row_id")),
        choice_filter(AuditEntry.action),
        ISTDaysFilter(AuditEntry.at, _l("Date (IST)")),
    )
    column_formatters = {"changes": changes_html(LIST_VALUE_LENGTH), "model_name": model_kind,
                         "officer": officer_name}
    column_formatters_detail = {**column_formatters, "changes": changes_html(None)}
    column_formatters_export = {**column_formatters, "changes": changes_text}
    column_sortable_list = ("at", "action", "model_name")
    column_default_sort = ("at", True)
    # can_delete = False already hides it; named too, so that no later change
    # to can_delete brings a bulk delete to the audit log.
    action_disallowed_list = ["delete"]
    page_size = 50

    # models/scope.py names no rule for these rows, which keeps them the state
    # administrator's; said here too, so that no rule added there opens them.
    def is_accessible(self):
        return super().is_accessible() and scope.jurisdiction(current_user._get_current_object()).state
