"""Times as people in India write them, for tests: '2026-12-08 11:00' in IST, and the naive UTC stored."""
import datetime

# IST has been UTC+05:30 all year since 1945: no time-zone database needed.
IST_OFFSET = datetime.timedelta(hours=5, minutes=30)


def utc(ist_text):
    """'2026-12-08 11:00' read as IST, as the naive UTC the models store."""
    return datetime.datetime.fromisoformat(ist_text) - IST_OFFSET


def ist(utc_naive):
    """A stored naive UTC time as IST text: '2026-12-11 23:59:59'."""
    return (utc_naive + IST_OFFSET).isoformat(sep=" ")
