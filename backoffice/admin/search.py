"""The search box's words are matched as typed: a %, _ or \\ in them is that character, not a wildcard.

Flask-Admin turns each word into `column ** "%word%"` (LIKE, ILIKE on
PostgreSQL) as it is, so "%" listed every row. SecureModelView.get_list
escapes each word (escape()); each text column is searched through Searched,
which tells the database the escape character; a column matched whole
(personal.Whole) takes the word back as typed (unescape()).
"""
import re

from peewee import OP, SQL, Expression, NodeList, Value

_ESCAPED = re.compile(r"\\(.)")


def escape(word):
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def unescape(word):
    return _ESCAPED.sub(r"\1", word)


class Searched:
    """A text column in the search, its LIKE pattern escaped with backslashes."""

    def __init__(self, column):
        self.column = column
        self.model = column.model  # for Flask-Admin to join its table when needed

    def __pow__(self, like):
        return Expression(self.column, OP.ILIKE, NodeList((like, SQL("ESCAPE"), Value("\\", converter=False))))
