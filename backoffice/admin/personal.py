"""Citizens' personal data on the admin screens: in full only to those handling their requests.

Rows come with an `in_full` column (models.scope.in_full, selected with them,
so a page costs no query per row); everyone else sees the last four
characters, in lists, details and exports alike. Searching finds a mobile
number or e-mail address only whole, or the search box would spell out
a masked number digit by digit.
"""
from flask_babel import get_locale, gettext as _
from markupsafe import Markup, escape

from models import audit, forms, scope

from . import labels, search
from .scoped import viewer


def with_in_full(query, model):
    return query.select_extend(scope.in_full(viewer(), model).alias("in_full"))


def shown(row, value):
    return value if row.in_full else scope.mask(value)


def contact(view, context, citizen, name):
    return shown(citizen, getattr(citizen, name))


def requester(view, context, request, name):
    """The request's citizen by name, or else by his (masked) mobile number or e-mail address."""
    citizen = request.citizen
    return citizen.name or shown(request, citizen.mobile or citizen.email)


def form_values(view, context, request, name):
    """The citizen's answers, one "question: answer" a line, with the questions of the form version he filed
    against in the reader's language. Answers that are personal data (a sensitive field, or any answer of a
    request filed before forms) are masked but for those handling the request, and every full view of them
    is on the record. An attached document links to its download where its answer is shown in full."""
    answers = forms.labelled(request.form_version if request.form_version_id else None, request.form_values)
    if request.in_full and any(answer.sensitive for answer in answers):
        audit.record_view(viewer(), request, "form_values")
    hindi = str(get_locale()) == "hi"
    lines = []
    for answer in answers:
        label = answer.label_hi if hindi else answer.label_en
        value = worded(answer, hindi)
        if answer.sensitive and not request.in_full:
            lines.append(escape(f"{label}: {scope.mask(value)}"))
        elif (answer.field or {}).get("type") == "document":
            lines.append(escape(f"{label}: ") + Markup('<a href="%s">%s</a>') % (
                view.attachment_url(request, answer.key), value))
        else:
            lines.append(escape(f"{label}: {value}"))
    return Markup("<br>").join(lines)


def worded(answer, hindi):
    """An answer as a reader reads it: choices by their labels, yes or no, a document by its name and size."""
    value, field = answer.value, answer.field or {}
    choice_labels = {c["key"]: c["label_hi" if hindi else "label_en"] for c in field.get("choices", ())}
    if field.get("type") == "document" and isinstance(value, dict):
        return _("%(filename)s (%(kb)s KB)", filename=value.get("filename", ""), kb=-(-value.get("size", 0) // 1024))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(choice_labels.get(v, v)) for v in value)
    return str(choice_labels.get(value, value))


class Whole:
    """A column searched whole; Flask-Admin's search asks `column ** "%term%"` of each column.

    A column of another table is reached through `via`, the view's foreign key
    to it, as `via IN (the ids of the rows whose column = term)`: the condition
    stays on the view's own table, so that each side of the search's OR has its
    index (a request's tracking number, its citizen) rather than a scan of the
    join. The ids are read first, a list: PostgreSQL cannot use an index for
    one side of an OR that is an IN (subquery), and read every request.
    """

    def __init__(self, column, via=None):
        self.column = column
        self.via = via
        self.model = via.model if via else column.model  # for Flask-Admin to join its table when needed

    def __pow__(self, like):
        term = search.unescape(like.strip("%"))
        if self.via is None:
            return self.column == term
        table = self.column.model
        return self.via.in_([key for (key,) in table.select(table._meta.primary_key).where(self.column == term)
                             .tuples()])


class PersonalSearch:
    """Mixed into a view: `searched_whole` columns join its search, matched whole."""
    searched_whole = ()

    def init_search(self):
        super().init_search()
        self._search_fields += [Whole(column, self.foreign_key_to(column.model)) for column in self.searched_whole]
        return bool(self._search_fields)

    def foreign_key_to(self, table):
        """The view's foreign key to `table`, or None for its own columns."""
        if table is self.model:
            return None
        return next(f for f in self.model._meta.sorted_fields if getattr(f, "rel_model", None) is table)

    def search_placeholder(self):
        whole = [_("%(column)s (whole)", column=labels.column(c.name)) for c in self.searched_whole]
        return ", ".join(filter(None, [super().search_placeholder(), *whole]))
