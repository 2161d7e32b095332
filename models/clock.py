"""The Right to Service clock: due dates in working days or hours, counted in IST.

Pure arithmetic: no database and no Flask, so every rule here is testable on
its own. Times come in and go out as naive UTC, like everything stored; day
boundaries are India's, whatever the server's time zone. docs/clock.md states
the rules in words.

Counting is by whole weeks plus bisection over the sorted holidays, never day
by day over the span, so a limit of 90 working days costs the same as one of 1.
"""
import bisect
import datetime

from .errors import DomainError
from .timeutil import IST

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WEEKLY_OFFS = frozenset({5, 6})  # Saturday and Sunday
UNITS = ("working_days", "hours")
ONE_DAY = datetime.timedelta(days=1)
LAST_SECOND = datetime.time(23, 59, 59)


def parse_weekly_offs(text):
    """'sat,sun' as weekday numbers (Monday 0); an empty text means no weekly off."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in WEEKDAY_NAMES]
    if unknown:
        raise DomainError("weekly_off_unknown", names=", ".join(unknown))
    offs = frozenset(WEEKDAY_NAMES.index(name) for name in names)
    _check_week(offs)
    return offs


def _check_week(weekly_offs):
    # Without a working day no limit could ever run out.
    if len(weekly_offs) >= 7:
        raise DomainError("weekly_offs_whole_week")


class Calendar:
    """Which days are working days: weekly offs (weekday numbers) and holiday dates."""

    def __init__(self, weekly_offs=DEFAULT_WEEKLY_OFFS, holidays=()):
        self.weekly_offs = frozenset(weekly_offs)
        _check_week(self.weekly_offs)
        self.holidays = frozenset(holidays)
        self.week = 7 - len(self.weekly_offs)
        # A holiday on a weekly off takes no working day away, so only the
        # others are counted.
        self._extra_offs = sorted(d for d in self.holidays if d.weekday() not in self.weekly_offs)

    def is_working_day(self, day):
        return day.weekday() not in self.weekly_offs and day not in self.holidays

    def first_working_day_from(self, day):
        """`day` itself when it is a working day, else the next one."""
        # Bounded: each step passes a weekly off or one of the holidays.
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def working_days_between(self, start, end):
        """Working days after `start` up to and including `end`; negative when `end` comes first."""
        if end < start:
            return -self.working_days_between(end, start)
        return self._weekdays_between(start, end) - self._extra_offs_between(start, end)

    def add_working_days(self, day, count):
        """The `count`-th working day after `day` (count >= 0; 0 gives `day` back)."""
        end = self._add_weekdays(day, count)
        # The holidays passed over must be made up, and the days added to make
        # them up may hold more holidays; each round eats at least one.
        missing = self._extra_offs_between(day, end)
        while missing:
            start, end = end, self._add_weekdays(end, missing)
            missing = self._extra_offs_between(start, end)
        return end

    def _weekdays_between(self, start, end):
        """Days after `start` up to and including `end` that are not weekly offs."""
        weeks, rest = divmod((end - start).days, 7)
        count = weeks * self.week
        day = start + datetime.timedelta(weeks=weeks)
        for _ in range(rest):
            day += ONE_DAY
            count += day.weekday() not in self.weekly_offs
        return count

    def _add_weekdays(self, day, count):
        """The `count`-th day after `day` that is not a weekly off."""
        if count <= 0:
            return day
        weeks, rest = divmod(count - 1, self.week)
        day += datetime.timedelta(weeks=weeks)
        rest += 1
        while rest:
            day += ONE_DAY
            rest -= day.weekday() not in self.weekly_offs
        return day

    def _extra_offs_between(self, start, end):
        return bisect.bisect_right(self._extra_offs, end) - bisect.bisect_right(self._extra_offs, start)


def ist_date(utc_naive):
    return utc_naive.replace(tzinfo=datetime.timezone.utc).astimezone(IST).date()


def _as_utc(ist_moment):
    return ist_moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def ist_day_start(day):
    """Midnight IST opening `day`, as naive UTC."""
    return _as_utc(datetime.datetime.combine(day, datetime.time(), tzinfo=IST))


def ist_day_end(day):
    """23:59:59 IST on `day`, as naive UTC: the moment a working-day limit runs out."""
    return _as_utc(datetime.datetime.combine(day, LAST_SECOND, tzinfo=IST))


def _check_unit(unit):
    if unit not in UNITS:
        raise DomainError("time_unit_unknown", unit=unit)


def due_at(received_utc, value, unit, calendar):
    """When a request received (complete) at `received_utc` is due, with no pause.

    Working days: the receipt day is the first working day on or after the IST
    date of receipt, day 1 the next working day, due at 23:59:59 IST of day
    `value`. Hours run round the clock from the moment of receipt.
    """
    _check_unit(unit)
    if unit == "hours":
        return received_utc + datetime.timedelta(hours=value)
    receipt_day = calendar.first_working_day_from(ist_date(received_utc))
    return ist_day_end(calendar.add_working_days(receipt_day, value))


def extend_for_pause(due_utc, paused_from_utc, resumed_utc, unit, calendar):
    """The due date after a pause (a query to the citizen) from one moment to another.

    Working days: moved by the working days after the query's IST date up to
    and including the answer's IST date. Hours: by the time paused, exactly.
    """
    _check_unit(unit)
    if unit == "hours":
        return due_utc + (resumed_utc - paused_from_utc)
    paused_days = calendar.working_days_between(ist_date(paused_from_utc), ist_date(resumed_utc))
    if paused_days <= 0:
        return due_utc
    return ist_day_end(calendar.add_working_days(ist_date(due_utc), paused_days))


def working_days_left(due_utc, now_utc, calendar):
    """Working days left before the due date (0: due today), or minus those it is overdue by.

    Left: the working days after today up to and including the due day.
    Overdue: the working days after the due day up to and including the first
    working day from today, so a request due Friday is overdue by 1 on the
    weekend and on Monday, by 2 on Tuesday; never 0 once the moment has passed.
    """
    today = ist_date(now_utc)
    due_day = ist_date(due_utc)
    if now_utc <= due_utc:
        return calendar.working_days_between(today, due_day)
    return -max(1, calendar.working_days_between(due_day, calendar.first_working_day_from(today)))


def working_days_horizon(now_utc, days, calendar):
    """The moment from which a due date has more than `days` working days left.

    A request due after `now_utc` and before it has `days` or fewer left by
    `working_days_left` (0: due today): the lists of requests due soon.
    """
    return ist_day_start(calendar.add_working_days(ist_date(now_utc), days + 1))
