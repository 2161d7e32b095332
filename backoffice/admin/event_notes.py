"""The notes the system writes on a request's history, in the reader's language.

models/ knows no languages: filing, routing, the clock, the counter's
hand-over, appeals, directions, moves and the Commission's decision leave fixed
English sentences in RequestEvent.note (models/lifecycle.py, deadlines.py,
appeals.py, routing.py), their times written YYYY-MM-DD HH:MM(:SS) IST. Their
parameters are read back from those sentences and worded here when shown, times
day first, so rows written before any of this read the same; a note an officer
or a citizen typed (a query, grounds, reasons), alone or after the system's
words, is shown as written.
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
TIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})? IST|none"
ROUTED = re.compile(r"Routed to (?P<name>.+?)(?: \((?P<rule>[a-z_]+)\))?\.")
PAUSED = re.compile(rf"Clock paused at (?P<at>{TIME})\.")
RESUMED = re.compile(rf"Clock resumed at (?P<at>{TIME}) \(paused since (?P<since>{TIME})\); "
                     rf"due date (?P<before>{TIME}) → (?P<due>{TIME})\.")
LEVELS = {"first": _l("the first appellate authority"), "second": _l("the second appellate authority")}
APPEALED = re.compile(rf"Appealed to the (?P<level>first|second) appellate authority, (?P<name>.+?), "
                      rf"who must act by (?P<by>{TIME})\.")
APPEALED_NOBODY = re.compile(rf"Appealed to the (?P<level>first|second) appellate authority: nobody holds the "
                             rf"post, so it waits for an administrator; the time runs out (?P<by>{TIME})\.")
COMMISSION = "Flagged for the Right to Service Commission."
# The system's words first, then what the officer typed, if anything.
DIRECTED = re.compile(r"(?P<name>.+?) to decide by (?P<date>\d{2}-\d{2}-\d{4})\.(?: (?P<typed>.*))?", re.S)
REASSIGNED = re.compile(r"Moved from (?P<before>.+?) to (?P<after>.+?) by (?P<by>.+?)\.(?: (?P<typed>.*))?", re.S)
DECIDED = re.compile(r"(?:Penalty ₹(?P<penalty>[\d,]+) on (?P<officer>.+?)\.|No penalty\.) "
                     r"(?:Compensation ₹(?P<compensation>[\d,]+) to the citizen\.|No compensation\.)"
                     r"(?: (?P<typed>.*))?", re.S)
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
    if event.kind == "appealed" and event.officer_id is None:
        return _appeal(note)
    if event.kind == "citizen_appeal":
        # His grounds as he gave them, then where the appeal went.
        grounds, _newline, where = note.rpartition("\n")
        return "\n".join(filter(None, [grounds, str(_appeal(where))]))
    if event.kind == "directed" and (directed := DIRECTED.fullmatch(note)):
        return _then(_("%(name)s to decide by %(date)s.", name=directed["name"], date=directed["date"]),
                     directed["typed"])
    if event.kind == "reassigned" and (moved := REASSIGNED.fullmatch(note)):
        return _then(_("Moved from %(before)s to %(after)s by %(by)s.", before=moved["before"], after=moved["after"],
                       by=moved["by"]), moved["typed"])
    if event.kind == "commission_decided" and (decided := DECIDED.fullmatch(note)):
        penalty = (_("Penalty ₹%(amount)s on %(officer)s.", amount=decided["penalty"], officer=decided["officer"])
                   if decided["penalty"] else _("No penalty."))
        compensation = (_("Compensation ₹%(amount)s to the citizen.", amount=decided["compensation"])
                        if decided["compensation"] else _("No compensation."))
        return _then(f"{penalty} {compensation}", decided["typed"])
    if event.kind == "due_date_changed" and (moved := MOVED.fullmatch(note)):
        return _("Due date %(before)s → %(due)s: the holiday calendar changed on %(day)s.",
                 before=_time(moved["before"]), due=_time(moved["due"]),
                 day=datetime.date.fromisoformat(moved["day"]).strftime("%d-%m-%Y"))
    return note


def _appeal(note):
    """models.appeals.describe's words for an appeal reaching its level, in the reader's language."""
    if note == COMMISSION:
        return _("Flagged for the Right to Service Commission.")
    if appealed := APPEALED.fullmatch(note):
        return _("Appealed to %(authority)s, %(name)s, who must act by %(by)s.", authority=LEVELS[appealed["level"]],
                 name=appealed["name"], by=_time(appealed["by"]))
    if nobody := APPEALED_NOBODY.fullmatch(note):
        return _("Appealed to %(authority)s: nobody holds the post, so it waits for an administrator; the time runs "
                 "out %(by)s.", authority=LEVELS[nobody["level"]], by=_time(nobody["by"]))
    return note


def _then(words, typed):
    """The system's words, then the note the officer typed as he typed it."""
    return f"{words} {typed}" if typed else words


def _time(text):
    """'2026-11-24 12:00:00 IST' (or without the seconds) as the admin writes times: '24-11-2026 12:00'."""
    if text == "none":
        return "—"
    moment = text.removesuffix(" IST")
    pattern = "%Y-%m-%d %H:%M:%S" if moment.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.datetime.strptime(moment, pattern).strftime("%d-%m-%Y %H:%M")
