"""Lists over millions of rows: a count that stops counting, and a page read by its ids first.

Flask-Admin counts every row a list matches to draw its pager; over two
million requests that count alone takes longer than the page may. Here the
count stops at COUNT_CAP rows (or a little past the page being read, so a deep
page keeps its pager), and the page says "More than 10,000" instead of a
figure nobody pages through anyway.

Both the count and the page's place in the list are read from the list's own
table alone, by its indexes; only the page's rows are then joined to the rows
they show (a request's service, citizen, district, officer). Otherwise page
1,000 would join 25,000 rows to throw them away.
"""
from flask import g
from flask_babel import format_number, gettext as _

from models import database

COUNT_CAP = 10_000


class CappedCount:
    """Mixed into a ModelView before it; the view's rows() joins through `joined`, which this leaves out
    while the list's bare query is built."""
    # Flask-Admin's own count would scan every row; ours below replaces it.
    simple_list_pager = True

    def joined(self, query):
        return query if g.get("list_bare") else super().joined(query)

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        _count, query = super().get_list(page, sort_column, sort_desc, search, filters, execute=False,
                                         page_size=page_size)
        g.list_bare = True
        try:
            _count, bare = super().get_list(page, sort_column, sort_desc, search, filters, execute=False,
                                            page_size=page_size)
        finally:
            g.list_bare = False
        size = page_size or self.page_size
        cap = max(COUNT_CAP, ((page or 0) + 2) * size) if size else None
        count = capped_count(bare, cap)
        g.list_count_capped = cap if cap is not None and count > cap else None
        if g.list_count_capped:
            count = cap
        if size:
            # The page's ids, in order, from the bare query (its ORDER BY, LIMIT and OFFSET); then those rows.
            key = self.model._meta.primary_key
            query = query.offset(None).where(key.in_(bare.select(key)))
        return count, list(query.execute()) if execute else query

    def render(self, template, **kwargs):
        cap = g.get("list_count_capped")
        if cap:
            # The tab's "List (N)" would claim an exact figure; the template says "more than" instead.
            kwargs.update(count=None, count_over=_("More than %(count)s rows: narrow the list with a filter or a search.",
                                                   count=format_number(cap)))
        return super().render(template, **kwargs)


def capped_count(query, cap):
    """How many rows `query` (a page of a list) matches, counting no further than `cap` + 1 (None: all)."""
    # The ids alone: the page's other columns (a subquery per row among them) are not needed to count.
    counted = query.clone().select(query.model._meta.primary_key).order_by().offset(None).limit(
        None if cap is None else cap + 1)
    sql, params = counted.sql()
    return database.execute_sql(f"SELECT COUNT(*) FROM ({sql}) AS counted", params).fetchone()[0]
