"""The holiday calendar: state-wide holidays for the state, local ones for each district.

Each save or delete moves the due dates of the open requests the holiday
touches, in the same transaction, and says how many moved.
"""
from flask import flash
from flask_admin.contrib.peewee.filters import DateBetweenFilter
from flask_babel import gettext as _, ngettext
from wtforms.validators import ValidationError

from models import DomainError, Holiday, database, holidays, scope
from models.deadlines import recompute_due_dates

from ..messages import describe

from . import labels
from .base import RelatedFilter, SecureModelView
from .scoped import viewer


def place(holiday):
    """Where the holiday is in the calendar: its date and district (None: state-wide)."""
    return holiday.date, holiday.district_id


def district_or_state(view, context, holiday, name):
    return str(holiday.district) if holiday.district_id else _("State-wide")


def in_calendar_years(form, field):
    try:
        if field.data:
            holidays.check_date(field.data)
    except DomainError as error:
        raise ValidationError(describe(error))


class HolidayView(SecureModelView):
    scoped_models = (Holiday,)
    column_list = ("date", "name_en", "name_hi", "district")
    column_searchable_list = ("name_en", "name_hi")
    column_filters = (RelatedFilter(Holiday.district), DateBetweenFilter(Holiday.date, labels.column("date")))
    column_formatters = {"district": district_or_state}
    column_formatters_export = column_formatters
    column_default_sort = ("date", True)
    form_args = {"date": {"validators": [in_calendar_years]}}

    def create_form(self, obj=None):
        return self.only_own_districts(super().create_form(obj))

    def edit_form(self, obj=None):
        return self.only_own_districts(super().edit_form(obj))

    def only_own_districts(self, form):
        # An empty district means state-wide: the state administrator's alone to choose.
        form.district.allow_blank = scope.jurisdiction(viewer()).state
        return form

    def on_model_change(self, form, holiday, is_created):
        super().on_model_change(form, holiday, is_created)
        # The unique index leaves NULL districts out, so the state-wide case is asked here.
        if holiday.district_id is None:
            twin = Holiday.select().where(Holiday.date == holiday.date, Holiday.district.is_null())
            if holiday.id is not None:
                twin = twin.where(Holiday.id != holiday.id)
            if twin.exists():
                raise ValidationError(_("This date is already a state-wide holiday."))

    def create_model(self, form):
        with database.atomic():
            holiday = super().create_model(form)
            moved = self.recompute([place(holiday)]) if holiday else None
        self.tell(moved)
        return holiday

    def update_model(self, form, holiday):
        before = place(holiday)
        with database.atomic():
            saved = super().update_model(form, holiday)
            # A new name moves nothing.
            moved = self.recompute([before, place(holiday)]) if saved and place(holiday) != before else None
        self.tell(moved)
        return saved

    def delete_rows(self, rows):
        with database.atomic():
            deleted = super().delete_rows(rows)
            moved = self.recompute([place(row) for row in rows]) if deleted else None
        self.tell(moved)
        return deleted

    def recompute(self, places):
        # Each request is computed from scratch against the calendar as it now
        # stands, so one touched by two of these dates moves, and counts, once.
        return sum(recompute_due_dates(date, district_id, viewer()) for date, district_id in places)

    def tell(self, moved):
        if moved is not None:
            flash(ngettext("The due date of %(num)d open request changed.",
                           "The due dates of %(num)d open requests changed.", moved), "info")
