"""The holiday calendar: state-wide gazetted holidays and districts' local ones."""
from collections import defaultdict

from peewee import CharField, DateField, ForeignKeyField

from . import clock
from .catalogue import District
from .db import BaseModel
from .errors import DomainError

# The weekly offs of every calendar built here. A setting of the whole
# deployment (WEEKLY_OFFS, docs/settings.md) rather than a table: it changes
# by government order, years apart, with a restart; see docs/clock.md.
_weekly_offs = clock.DEFAULT_WEEKLY_OFFS


def use_weekly_offs(weekly_offs):
    """Set the weekly offs (weekday numbers, Monday 0) at start-up, as open_database sets the database."""
    global _weekly_offs
    _weekly_offs = frozenset(weekly_offs)


class Holiday(BaseModel):
    date = DateField()
    name_en = CharField(max_length=150)
    name_hi = CharField(max_length=150)
    # Empty: a state-wide holiday; else one district's local holiday.
    district = ForeignKeyField(District, null=True, backref="holidays", on_delete="RESTRICT")

    class Meta:
        table_name = "holiday"
        indexes = ((("date", "district"), True),)

    def __str__(self):
        return f"{self.date.isoformat()} {self.name_en} / {self.name_hi}"


# NULLs never collide in a unique index, so (date, district) alone would let
# the same state-wide holiday in twice.
Holiday.add_index(Holiday.index(Holiday.date, unique=True, where=Holiday.district.is_null(),
                                name="holiday_state_wide_date"))


# Holidays are kept within these years (docs/clock.md): no notified holiday is
# further off, and the clock's day arithmetic overflows at the calendar's ends
# (a holiday in 9999 or in year 1 failed the due dates' recomputation).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_date(day):
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DomainError("holiday_date_out_of_range", first=FIRST_YEAR, last=LAST_YEAR)


def calendars_for(district_ids, start=None, end=None):
    """{district id: its Calendar} for several districts, from `start` to `end`, read in one query."""
    ids = set(district_ids)
    local_ids = [pk for pk in ids if pk is not None]
    query = Holiday.select(Holiday.date, Holiday.district).where(
        Holiday.district.is_null() | Holiday.district.in_(local_ids))
    if start is not None:
        query = query.where(Holiday.date >= start)
    if end is not None:
        query = query.where(Holiday.date <= end)
    state_wide, local = set(), defaultdict(set)
    for date, district_id in query.tuples():
        (state_wide if district_id is None else local[district_id]).add(date)
    return {pk: clock.Calendar(_weekly_offs, state_wide | local[pk]) for pk in ids}


def calendar_for(district_id, start=None, end=None):
    """The Calendar of a district (None: state-wide holidays only), from `start` to `end` (dates, either open)."""
    return calendars_for([district_id], start, end)[district_id]
