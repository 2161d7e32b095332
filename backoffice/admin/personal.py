"""Citizens' personal data on the admin screens: in full only to those handling their requests.

Rows come with an `in_full` column (models.scope.in_full, selected with them,
so a page costs no query per row); everyone else sees the last four
characters, in lists, details and exports alike. Searching finds a mobile
number or e-mail address only whole, or the search box would spell out
a masked number digit by digit.
"""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from models import audit, scope

from . import labels
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
    """The citizen's answers, one "question: answer" a line, each answer masked but for those handling it."""
    if request.in_full and request.form_values:
        # Every full view of a citizen's answers is on the record.
        audit.record_view(viewer(), request, "form_values")
    lines = (f"{key}: {shown(request, value)}" for key, value in (request.form_values or {}).items())
    return Markup("<br>").join(escape(line) for line in lines)


class Whole:
    """A column searched whole; Flask-Admin's search asks `column ** "%term%"` of each column."""

    def __init__(self, column):
        self.column = column
        self.model = column.model  # for Flask-Admin to join its table when needed

    def __pow__(self, like):
        return self.column == like.strip("%")


class PersonalSearch:
    """Mixed into a view: `searched_whole` columns join its search, matched whole."""
    searched_whole = ()

    def init_search(self):
        super().init_search()
        self._search_fields += [Whole(column) for column in self.searched_whole]
        return bool(self._search_fields)

    def search_placeholder(self):
        whole = [_("%(column)s (whole)", column=labels.column(c.name)) for c in self.searched_whole]
        return ", ".join(filter(None, [super().search_placeholder(), *whole]))
