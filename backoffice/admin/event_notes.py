"""The notes the system writes on a request's history, in the reader's language.

models/ knows no languages: filing, routing, the clock and the counter's
hand-over leave fixed English sentences in RequestEvent.note, their times
written YYYY-MM-DD HH:MM:SS IST. They are worded here when shown, times day
first; a note an officer or a citizen typed is shown as written.
"""
import datetime
import re

from flask_babel import gettext as _, lazy_gettext as _l

FIXED = {
    "Filed at the counter.": _l("Filed at the counter."),
    "Filed from the app.": _l("Filed from the app."),
    "Handed over at the counter.": _l("Handed over at the counter."),
}
# models/routing.py's rules: where the officer was found.
RULES = {
    "area": _l("the post in the area"),
    "district": _l("the post in the district"),
    "state": _l("the post for the state"),
    "nodal": _l("Nodal officer"),
    "district_admin": _l("District administrator"),
}
TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} IST|none"
ROUTED = re.compile(r"Routed to (?P<name>.+?)(?: \((?P<rule>[a-z_]+)\))?\.")
PAUSED = re.compile(rf"Clock paused at (?P<at>{TIME})\.")
RESUMED = re.compile(rf"Clock resumed at (?P<at>{TIME}) \(paused since (?P<since>{TIME})\); "
                     rf"due date (?P<before>{TIME}) → (?P<due>{TIME})\.")
MOVED = re.compile(rf"Due date (?P<before>{TIME}) → (?P<due>{TIME}): "
                   r"the holiday calendar changed on (?P<day>\d{4}-\d{2}-\d{2})\.")


def worded(event):
    """The event's note as the reader should read it."""
    note = event.note or ""
    if event.officer_id is None and event.kind == "assign" and (routed := ROUTED.fullmatch(note)):
        if routed["rule"] in RULES:
            return _("Routed to %(name)s (%(rule)s).", name=routed["name"], rule=RULES[routed["rule"]])
        return _("Routed to %(name)s.", name=routed["name"])
    if event.kind in ("filed", "handed_over") and note in FIXED:
        return FIXED[note]
    if event.kind == "clock_paused" and (paused := PAUSED.fullmatch(note)):
        return _("Clock paused at %(at)s.", at=_time(paused["at"]))
    if event.kind == "clock_resumed" and (resumed := RESUMED.fullmatch(note)):
        return _("Clock resumed at %(at)s (paused since %(since)s); due date %(before)s → %(due)s.",
                 **{name: _time(value) for name, value in resumed.groupdict().items()})
    if event.kind == "due_date_changed" and (moved := MOVED.fullmatch(note)):
        return _("Due date %(before)s → %(due)s: the holiday calendar changed on %(day)s.",
                 before=_time(moved["before"]), due=_time(moved["due"]),
                 day=datetime.date.fromisoformat(moved["day"]).strftime("%d-%m-%Y"))
    return note


def _time(text):
    """'2026-11-24 12:00:00 IST' as the admin writes times: '24-11-2026 12:00'."""
    if text == "none":
        return "—"
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S IST").strftime("%d-%m-%Y %H:%M")
