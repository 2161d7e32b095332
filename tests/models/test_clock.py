"""The clock of models/clock.py: hand-worked cases, and random ones against a day-by-day reference."""
import datetime
import os
import time

import pytest
from hypothesis import given, strategies as st

from models import DomainError
from models.clock import (
    Calendar, due_at, extend_for_pause, parse_weekly_offs, working_days_horizon, working_days_left,
)
from tests.ist import IST_OFFSET, ist, utc

D = datetime.date
SAT_SUN = Calendar({5, 6})


# The reference: the rules read literally, one day at a time.

def ref_working(calendar, day):
    return day.weekday() not in calendar.weekly_offs and day not in calendar.holidays


def ref_ist_date(utc_naive):
    return (utc_naive + IST_OFFSET).date()


def ref_day_end(day):
    return datetime.datetime.combine(day, datetime.time(23, 59, 59)) - IST_OFFSET


def ref_add(calendar, day, count):
    while count:
        day += datetime.timedelta(days=1)
        count -= ref_working(calendar, day)
    return day


def ref_count(calendar, start, end):
    """Working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += ref_working(calendar, day)
    return count


def ref_first_from(calendar, day):
    while not ref_working(calendar, day):
        day += datetime.timedelta(days=1)
    return day


def ref_due_at(received, value, unit, calendar):
    if unit == "hours":
        return received + datetime.timedelta(hours=value)
    receipt_day = ref_first_from(calendar, ref_ist_date(received))
    return ref_day_end(ref_add(calendar, receipt_day, value))


def ref_extend(due, paused, resumed, unit, calendar):
    if unit == "hours":
        return due + (resumed - paused)
    paused_days = ref_count(calendar, ref_ist_date(paused), ref_ist_date(resumed))
    if not paused_days:
        return due
    return ref_day_end(ref_add(calendar, ref_ist_date(due), paused_days))


def ref_left(due, now, calendar):
    today, due_day = ref_ist_date(now), ref_ist_date(due)
    if now <= due:
        return ref_count(calendar, today, due_day)
    return -max(1, ref_count(calendar, due_day, ref_first_from(calendar, today)))


# Random worlds: any moment of 2000-2099 or of a turn of the year, any weekly
# offs leaving a working day, holidays scattered or in runs around the receipt.

moments = st.one_of(
    st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2099, 12, 31)),
    st.builds(lambda year, minutes: datetime.datetime(year, 12, 20) + datetime.timedelta(minutes=minutes),
              st.integers(2000, 2098), st.integers(0, 25 * 24 * 60)),
)
weekly_offs = st.frozensets(st.integers(0, 6), max_size=6)
holiday_offsets = st.one_of(
    st.frozensets(st.integers(-10, 200), max_size=40),
    st.builds(lambda start, length: frozenset(range(start, start + length)), st.integers(-5, 60), st.integers(1, 30)),
)


@st.composite
def worlds(draw):
    received = draw(moments)
    offsets = draw(holiday_offsets)
    holidays = {ref_ist_date(received) + datetime.timedelta(days=n) for n in offsets}
    return received, Calendar(draw(weekly_offs), holidays)


@given(worlds(), st.integers(1, 90))
def test_due_at_in_working_days_matches_the_reference(world, value):
    received, calendar = world
    assert due_at(received, value, "working_days", calendar) == ref_due_at(received, value, "working_days", calendar)


@given(worlds(), st.integers(1, 90))
def test_due_at_in_hours_matches_the_reference(world, value):
    received, calendar = world
    assert due_at(received, value, "hours", calendar) == ref_due_at(received, value, "hours", calendar)


@given(worlds(), st.integers(1, 90), st.integers(0, 120 * 24 * 60), st.integers(0, 60 * 24 * 60),
       st.sampled_from(["working_days", "hours"]))
def test_extend_for_pause_matches_the_reference(world, value, after_minutes, paused_minutes, unit):
    received, calendar = world
    due = ref_due_at(received, value, unit, calendar)
    paused = received + datetime.timedelta(minutes=after_minutes)
    resumed = paused + datetime.timedelta(minutes=paused_minutes)
    assert extend_for_pause(due, paused, resumed, unit, calendar) == ref_extend(due, paused, resumed, unit, calendar)


@given(worlds(), st.integers(1, 90), st.integers(-10 * 24 * 60, 200 * 24 * 60))
def test_working_days_left_matches_the_reference(world, value, minutes):
    received, calendar = world
    due = ref_due_at(received, value, "working_days", calendar)
    now = received + datetime.timedelta(minutes=minutes)
    assert working_days_left(due, now, calendar) == ref_left(due, now, calendar)


@given(worlds(), st.integers(0, 10), st.integers(0, 60 * 24 * 60))
def test_the_horizon_parts_due_dates_by_working_days_left(world, days, minutes):
    now, calendar = world
    due = now + datetime.timedelta(minutes=minutes)
    assert (due < working_days_horizon(now, days, calendar)) == (ref_left(due, now, calendar) <= days)


@given(worlds(), st.integers(0, 400))
def test_counting_and_adding_agree(world, count):
    received, calendar = world
    day = ref_ist_date(received)
    end = calendar.add_working_days(day, count)
    assert calendar.working_days_between(day, end) == count
    assert calendar.working_days_between(end, day) == -count
    assert count == 0 or calendar.is_working_day(end)


# Hand-worked cases, each under several server time zones: the clock must not notice.

@pytest.fixture(params=["UTC", "America/New_York", "Asia/Kolkata"])
def server_time_zone(request):
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("server_time_zone")
class TestHandWorked:
    def test_the_two_examples_of_the_rule(self):
        # Tuesday at 11:00, 3 working days: Wednesday, Thursday, Friday.
        assert ist(due_at(utc("2026-12-08 11:00"), 3, "working_days", SAT_SUN)) == "2026-12-11 23:59:59"
        # Saturday: the receipt day is Monday, day 1 is Tuesday.
        assert ist(due_at(utc("2026-12-12 10:00"), 1, "working_days", SAT_SUN)) == "2026-12-15 23:59:59"

    def test_a_holiday_in_the_window_adds_a_day(self):
        calendar = Calendar({5, 6}, {D(2026, 12, 10)})
        assert ist(due_at(utc("2026-12-08 11:00"), 3, "working_days", calendar)) == "2026-12-14 23:59:59"

    def test_a_holiday_on_the_day_of_receipt_moves_the_receipt_day(self):
        calendar = Calendar({5, 6}, {D(2026, 12, 8)})
        assert ist(due_at(utc("2026-12-08 11:00"), 1, "working_days", calendar)) == "2026-12-10 23:59:59"

    def test_a_weekend_is_passed_over(self):
        assert ist(due_at(utc("2026-12-10 16:00"), 2, "working_days", SAT_SUN)) == "2026-12-14 23:59:59"

    def test_year_end_with_new_year_holiday(self):
        # Wednesday 30 December; 1 January 2027 is a Friday and a holiday.
        calendar = Calendar({5, 6}, {D(2027, 1, 1)})
        assert ist(due_at(utc("2026-12-30 09:30"), 3, "working_days", calendar)) == "2027-01-05 23:59:59"

    def test_receipt_at_23_59_ist_counts_that_day(self):
        received = utc("2026-12-08 23:59")
        assert received.date() == D(2026, 12, 8)
        assert ist(due_at(received, 1, "working_days", SAT_SUN)) == "2026-12-09 23:59:59"

    def test_receipt_at_00_01_ist_counts_the_new_day_though_utc_is_still_on_the_old_one(self):
        received = utc("2026-12-09 00:01")
        assert received.date() == D(2026, 12, 8)
        assert ist(due_at(received, 1, "working_days", SAT_SUN)) == "2026-12-10 23:59:59"

    def test_due_is_stored_as_naive_utc(self):
        due = due_at(utc("2026-12-08 11:00"), 3, "working_days", SAT_SUN)
        assert due == datetime.datetime(2026, 12, 11, 18, 29, 59) and due.tzinfo is None

    def test_hours_run_round_the_clock(self):
        # 4 hours from 22:00 IST end at 02:00 the next day.
        assert ist(due_at(utc("2026-12-08 22:00"), 4, "hours", SAT_SUN)) == "2026-12-09 02:00:00"
        # Friday night into a Saturday that is also a holiday: still 4 hours.
        holiday_saturday = Calendar({5, 6}, {D(2026, 12, 12)})
        assert ist(due_at(utc("2026-12-11 23:30"), 4, "hours", holiday_saturday)) == "2026-12-12 03:30:00"

    def test_pause_in_working_days_counts_the_days_after_the_query_through_the_answer(self):
        due = due_at(utc("2026-12-08 11:00"), 3, "working_days", SAT_SUN)  # Friday 11
        # Query Tuesday, answer Thursday: Wednesday and Thursday are added.
        assert ist(extend_for_pause(due, utc("2026-12-08 15:00"), utc("2026-12-10 10:00"), "working_days", SAT_SUN)) \
            == "2026-12-15 23:59:59"
        # Answered the same day: nothing.
        assert extend_for_pause(due, utc("2026-12-09 10:00"), utc("2026-12-09 17:00"), "working_days", SAT_SUN) == due
        # Query Friday, answer Monday: Monday alone.
        assert ist(extend_for_pause(due, utc("2026-12-11 10:00"), utc("2026-12-14 10:00"), "working_days", SAT_SUN)) \
            == "2026-12-14 23:59:59"

    def test_pause_in_hours_moves_by_the_time_paused(self):
        due = due_at(utc("2026-12-08 22:00"), 4, "hours", SAT_SUN)
        moved = extend_for_pause(due, utc("2026-12-08 23:00"), utc("2026-12-09 00:30"), "hours", SAT_SUN)
        assert ist(moved) == "2026-12-09 03:30:00"

    def test_working_days_left_and_overdue(self):
        due = utc("2026-12-11 23:59:59")  # a Friday
        assert working_days_left(due, utc("2026-12-09 10:00"), SAT_SUN) == 2
        assert working_days_left(due, utc("2026-12-11 23:00"), SAT_SUN) == 0
        assert working_days_left(due, utc("2026-12-12 00:00:30"), SAT_SUN) == -1
        assert working_days_left(due, utc("2026-12-14 10:00"), SAT_SUN) == -1
        assert working_days_left(due, utc("2026-12-15 10:00"), SAT_SUN) == -2
        # A due moment inside the day (an hour limit) passed that same day.
        assert working_days_left(utc("2026-12-09 10:00"), utc("2026-12-09 11:00"), SAT_SUN) == -1

    def test_a_long_limit_is_counted_by_weeks(self):
        # 2,000,000 working days from a Monday: 400,000 weeks, ending on a Monday.
        monday = utc("2000-01-03 10:00")
        due = due_at(monday, 2_000_000, "working_days", SAT_SUN)
        assert ref_ist_date(due) == D(2000, 1, 3) + datetime.timedelta(weeks=400_000)

    def test_weekly_offs_setting(self):
        assert parse_weekly_offs("sat,sun") == {5, 6}
        assert parse_weekly_offs(" Sun ") == {6}
        assert parse_weekly_offs("") == set()
        with pytest.raises(DomainError) as error:
            parse_weekly_offs("sat,sunday")
        assert error.value.code == "weekly_off_unknown"
        with pytest.raises(DomainError) as error:
            Calendar(range(7))
        assert error.value.code == "weekly_offs_whole_week"

    def test_unknown_unit_is_refused(self):
        with pytest.raises(DomainError) as error:
            due_at(utc("2026-12-08 11:00"), 3, "days", SAT_SUN)
        assert error.value.code == "time_unit_unknown"
