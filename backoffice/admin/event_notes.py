"""The notes the system writes on a request's history, in the reader's language.

models/ knows no languages: filing, routing, the clock, the counter's
hand-over, appeals, directions and the Commission's decisions leave fixed
English sentences in RequestEvent.note (some followed by what the officer or
citizen typed), their times written YYYY-MM-DD HH:MM:SS IST. They are worded
here when shown, times day first, rupees grouped the Indian way; what people
typed is shown as written.
"""
import datetime
import re

from flask_babel import gettext as _, lazy_gettext as _l

from backoffice.i18n import indian_number

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
# models/appeals.py's describe(): an appeal reaching its level.
APPEALED = re.compile(rf"Appealed to the (?P<level>first|second) appellate authority, (?P<name>.+), "
                      rf"who must act by (?P<by>{TIME})\.")
UNHELD = re.compile(rf"Appealed to the (?P<level>first|second) appellate authority: nobody holds the post, so it "
                    rf"waits for an administrator; the time runs out (?P<by>{TIME})\.")
FLAGGED = "Flagged for the Right to Service Commission."
DIRECTED = re.compile(r"(?P<name>.+?) to decide by (?P<by>\d{2}-\d{2}-\d{4})\.(?: (?P<typed>.*))?", re.S)
DECIDED = re.compile(r"(?:Penalty ₹(?P<penalty>[\d,]+) on (?P<name>.+?)\.|No penalty\.) "
                     r"(?:Compensation ₹(?P<compensation>[\d,]+) to the citizen\.|No compensation\.)(?: (?P<typed>.*))?",
                     re.S)


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
    if event.kind == "appealed":
        return _appeal(note) or note
    if event.kind == "citizen_appeal" and "\n" in note:
        grounds, _newline, appeal = note.rpartition("\n")
        return f"{grounds}\n{_appeal(appeal) or appeal}"
    if event.kind == "directed" and (directed := DIRECTED.fullmatch(note)):
        words = _("%(name)s to decide by %(by)s.", name=directed["name"], by=directed["by"])
        return " ".join(filter(None, [words, directed["typed"]]))
    if event.kind == "commission_decided" and (decided := DECIDED.fullmatch(note)):
        return " ".join(filter(None, [
            _("Penalty ₹%(rupees)s on %(name)s.", rupees=_rupees(decided["penalty"]), name=decided["name"])
            if decided["penalty"] else _("No penalty."),
            _("Compensation ₹%(rupees)s to the citizen.", rupees=_rupees(decided["compensation"]))
            if decided["compensation"] else _("No compensation."),
            decided["typed"]]))
    return note


def _appeal(text):
    """models/appeals.py's describe() in the reader's language; None for anything else."""
    if text == FLAGGED:
        return _("Flagged for the Right to Service Commission.")
    if appealed := APPEALED.fullmatch(text):
        if appealed["level"] == "first":
            return _("Appealed to the first appellate authority, %(name)s, who must act by %(by)s.",
                     name=appealed["name"], by=_time(appealed["by"]))
        return _("Appealed to the second appellate authority, %(name)s, who must act by %(by)s.",
                 name=appealed["name"], by=_time(appealed["by"]))
    if unheld := UNHELD.fullmatch(text):
        if unheld["level"] == "first":
            return _("Appealed to the first appellate authority: nobody holds the post, so it waits for an "
                     "administrator; the time runs out %(by)s.", by=_time(unheld["by"]))
        return _("Appealed to the second appellate authority: nobody holds the post, so it waits for an "
                 "administrator; the time runs out %(by)s.", by=_time(unheld["by"]))
    return None


def _rupees(figure):
    return indian_number(int(figure.replace(",", "")))


def _time(text):
    """'2026-11-24 12:00:00 IST' as the admin writes times: '24-11-2026 12:00'."""
    if text == "none":
        return "—"
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S IST").strftime("%d-%m-%Y %H:%M")
