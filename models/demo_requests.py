"""The demo's citizens' requests (models/demo.py): each one's row, history, pauses and delivery.

A request's story is drawn in full (filed, routed, worked, perhaps queried,
decided) and then cut at the load's moment, so that the old ones are mostly
closed and the recent ones open at every stage. Its history is a walk through
models/lifecycle.py's TRANSITIONS, refused if a step is not one of them, and
its due date is models/deadlines.py's due_at_for over its closed pauses.
"""
import datetime
import hashlib
from collections import Counter, namedtuple

from . import bulk, clock
from .catalogue import District, Service
from .deadlines import STOPPED, RequestPause, due_at_for
from .holidays import calendar_for
from .lifecycle import TRANSITIONS
from .requests import Delivery, RequestEvent, ServiceRequest
from .timeutil import to_ist
from .tracking import ALPHABET

# Shares of the requests' fates, and of what happens on the way.
OUTCOMES = {"delivered": 86, "rejected": 10, "withdrawn": 4}
REJECTED_UNSEEN = 0.15  # rejected on the face of it, before work starts
QUERIES = {0: 80, 1: 16, 2: 4}  # queries to the citizen per request
LATE = 0.12  # decided after the due date
COUNTER = 0.3  # filed at the counter (working days only), the rest from the app
OFF_DAY_FILING = 0.35  # a weekend or holiday gets this share of a working day's filings
UNROUTED = 0.05  # of the last UNROUTED_DAYS' requests: waiting, nobody assigned
UNROUTED_DAYS = 10
HANDED_OVER = 0.6  # of the deliveries filed at the counter: collected there
WITH_DOCUMENT = 0.2  # of the deliveries: a stored PDF rather than a note alone

# Land records and certificates are most of the counters' work.
CATEGORY_WEIGHTS = {
    "land records": 10, "certificates": 8, "ration": 4, "licences": 3, "utilities": 3,
    "civic amenities": 2, "welfare": 2, "covid-19": 2,
}
SERVICE_WEIGHTS = {"REV-FARD-COPY": 40, "REV-INCOME-CERT": 25, "REV-RESIDENT-CERT": 25, "REV-DEED-REG": 15}

QUERY_NOTES = (
    "Please upload a clear copy of your Aadhaar card.",
    "The family ID (Parivar Pehchan Patra) number does not match the application: please check it.",
    "Please upload proof of residence (an electricity bill or ration card).",
    "The photograph is not legible: please upload it again.",
    "Please attach the Patwari's report.",
)
ANSWER_NOTES = ("Uploaded the document again.", "Corrected the family ID.", "Attached.",
                "Brought the papers to the counter.")
REJECTION_NOTES = (
    "The applicant is not eligible under the notified criteria.",
    "A request for the same service is already being processed.",
    "The documents do not establish residence in Haryana.",
    "The land is not recorded in the applicant's name.",
)
DELIVERY_NOTES = {
    "civic amenities": "Done on site; the applicant confirmed.",
    "utilities": "Supply restored; the applicant confirmed.",
}
DELIVERY_NOTE = "Issued; the applicant may download it from the app or collect it at the counter."

# Roughly the districts' populations (2011 census, lakhs); a district not listed weighs 10.
DISTRICT_WEIGHTS = {
    "AMB": 11.3, "BHW": 11.3, "CDR": 5.0, "FBD": 18.1, "FTB": 9.4, "GGM": 15.1, "HSR": 17.4, "JJR": 9.6,
    "JND": 13.3, "KTL": 10.7, "KNL": 15.1, "KKR": 9.6, "MHG": 9.2, "NUH": 10.9, "PWL": 10.4, "PKL": 5.6,
    "PNP": 12.1, "RWR": 9.0, "RTK": 10.6, "SRS": 13.0, "SNP": 14.5, "YNR": 12.1,
}

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
Pause = namedtuple("Pause", "paused_at resumed_at")


def district_weights(districts):
    return [DISTRICT_WEIGHTS.get(d.code, 10) for d in districts]


def _pick(rng, shares):
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _pause_length(rng, unit):
    if unit == "hours":
        return datetime.timedelta(minutes=rng.uniform(20, 180))
    return datetime.timedelta(hours=rng.uniform(4, 120))


def _plan(rng, received, span, due_with, unit):
    """The steps [(action, at)] a request would take if nothing cut it short: a walk through TRANSITIONS.

    `span` is the time its limit allows, `due_with(pauses)` its due date after those pauses.
    """
    outcome = _pick(rng, OUTCOMES)
    steps = [("assign", received)]
    if outcome == "rejected" and rng.random() < REJECTED_UNSEEN:
        return steps + [("reject", received + span * rng.uniform(0.05, 0.5))]
    at = received + span * rng.uniform(0.02, 0.15)
    steps.append(("start", at))
    pauses = []
    for _ in range(_pick(rng, QUERIES)):
        asked = at + span * rng.uniform(0.05, 0.3)
        at = asked + _pause_length(rng, unit)
        steps += [("raise_query", asked), ("answer_query", at)]
        pauses.append(Pause(asked, at))
    due = due_with(pauses)
    if rng.random() < LATE or due <= at:
        decided = max(due, at) + max(span * rng.uniform(0.05, 0.8), HOUR)
    else:
        decided = at + (due - at) * rng.uniform(0.2, 0.95)
    if outcome == "delivered":
        return steps + [("approve", at + (decided - at) * rng.uniform(0.5, 0.95)), ("deliver", decided)]
    if outcome == "rejected":
        return steps + [("reject", decided)]
    # Withdrawn before the decision, though never while a query waits for his
    # answer: close_pause would then leave a pause out of the stored due date,
    # and every demo due date is due_at_for's.
    withdrawn = received + (decided - received) * rng.uniform(0.05, 0.95)
    steps = [step for step in steps if step[1] < withdrawn]
    if steps[-1][0] == "raise_query":
        steps.pop()
    return steps + [("withdraw", withdrawn)]


def _tracking_number(rng, year, taken):
    """models.tracking's format from the seeded `rng`: 40 random bits as eight base32 characters."""
    while True:
        bits = rng.getrandbits(40)
        body = "".join(ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))
        number = f"HR-{year:04d}-{body[:4]}-{body[4:]}"
        if number not in taken:
            taken.add(number)
            return number


def _ist_text(utc_naive):
    return f"{to_ist(utc_naive):%Y-%m-%d %H:%M:%S} IST"


def _tiny_pdf(text):
    """A one-page PDF saying `text`, in a few hundred bytes: the document of some demo deliveries."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


DOCUMENT = _tiny_pdf("Demo certificate - not a government document.")
DOCUMENT_FIELDS = dict(content=DOCUMENT, content_type="application/pdf", size=len(DOCUMENT),
                       sha256=hashlib.sha256(DOCUMENT).hexdigest())
NO_DOCUMENT = dict(content=None, content_type=None, size=None, sha256=None, filename=None)

Story = namedtuple("Story", "row events pauses delivery")


class Requests:
    """What every demo request is drawn from, read once."""

    def __init__(self, rng, days, until, leave_from, areas, staff, citizens):
        self.rng, self.days, self.until, self.leave_from = rng, days, until, leave_from
        self.areas, self.staff, self.citizens = areas, staff, citizens
        self.districts = list(District.select().order_by(District.code))
        self.district_weights = district_weights(self.districts)
        self.services = list(Service.select().where(Service.status == "published").order_by(Service.code))
        self.service_weights = [SERVICE_WEIGHTS.get(s.code, CATEGORY_WEIGHTS.get(s.category, 1))
                                for s in self.services]
        # One calendar per district, so that no due date costs a query.
        self.calendars = {d.id: calendar_for(d.id, start=days[0]) for d in self.districts}
        self.taken = {number for (number,) in ServiceRequest.select(ServiceRequest.tracking_number).tuples()}

    def received(self, calendar):
        """When a request came in: any day in the window, off days less; counters keep office hours."""
        rng = self.rng
        while True:
            day = rng.choice(self.days)
            if calendar.is_working_day(day) or rng.random() < OFF_DAY_FILING:
                break
        counter = calendar.is_working_day(day) and rng.random() < COUNTER
        opens, hours = (9.5, 8) if counter else (7, 15)
        seconds = round((opens + rng.random() * hours) * 3600)
        return clock.ist_day_start(day) + datetime.timedelta(seconds=seconds), counter

    def story(self):
        """One request: its row, its history, its pauses and its delivery (rows without the request's id)."""
        rng, staff = self.rng, self.staff
        district = rng.choices(self.districts, weights=self.district_weights)[0]
        service = rng.choices(self.services, weights=self.service_weights)[0]
        citizen = rng.choice(self.citizens[district.id])
        area = rng.choice(self.areas[district.id])
        calendar = self.calendars[district.id]
        received, at_counter = self.received(calendar)
        filed_by = staff.counters.get(district.id) if at_counter else None
        request = ServiceRequest(district=district.id, submitted_at=received, tat_value=service.tat_value,
                                 tat_unit=service.tat_unit)
        due = due_at_for(request, calendar, [])
        unrouted = self.until - received < UNROUTED_DAYS * DAY and rng.random() < UNROUTED
        assignee = None if unrouted else staff.route(service.designated_officer_id, service.department_id,
                                                     district.id, area.id, received, self.leave_from)
        steps = [] if assignee is None else _plan(rng, received, due - received,
                                                  lambda pauses: due_at_for(request, calendar, pauses),
                                                  service.tat_unit)
        # Nothing happens after today's midnight, nor to an officer's work after he went on leave.
        cut = self.leave_from if assignee in staff.on_leave else self.until
        steps = [(action, at.replace(microsecond=0)) for action, at in steps if at < cut]

        def event(at, kind, officer=None, from_status=None, to_status=None, note="", by_citizen=False):
            return dict(at=at, officer=officer, citizen=citizen if by_citizen else None, kind=kind,
                        from_status=from_status, to_status=to_status, note=note)

        events = [event(received, "filed", filed_by, to_status="submitted", by_citizen=filed_by is None,
                        note="Filed at the counter." if filed_by else "Filed from the app.")]
        status, version, closed_at = "submitted", 1, None
        paused_at, pauses, delivery = None, [], None
        for action, at in steps:
            transition = TRANSITIONS[action]
            if status not in transition.sources:
                raise ValueError(f"the demo story breaks the lifecycle: {action} from {status}")
            officer, note, by_citizen = assignee, "", False
            if transition.actors == {"citizen"}:
                officer, by_citizen = filed_by, filed_by is None
            if action == "assign":
                officer, note = None, f"Routed to {staff.names[assignee]}."
            elif action == "raise_query":
                note = rng.choice(QUERY_NOTES)
            elif action == "answer_query":
                note = rng.choice(ANSWER_NOTES)
            elif action == "reject":
                note = rng.choice(REJECTION_NOTES)
            elif action == "deliver":
                note = DELIVERY_NOTES.get(service.category, DELIVERY_NOTE)
            events.append(event(at, action, officer, status, transition.target, note, by_citizen))
            status, version = transition.target, version + 1
            if action == "raise_query":
                paused_at = at
                events.append(event(at, "clock_paused", officer, note=f"Clock paused at {_ist_text(at)}."))
            elif action == "answer_query":
                # As deadlines.resume does: the pause closes and the due date moves.
                pauses.append(Pause(paused_at, at))
                before, due, paused_at = due, due_at_for(request, calendar, pauses), None
                version += 1
                events.append(event(at, "clock_resumed", officer, note=(
                    f"Clock resumed at {_ist_text(at)} (paused since {_ist_text(pauses[-1].paused_at)}); "
                    f"due date {_ist_text(before)} → {_ist_text(due)}.")))
            elif action == "deliver":
                delivery = dict(NO_DOCUMENT, note=note, delivered_by=assignee, delivered_at=at,
                                handed_over_at=None, handed_over_by=None)
                if rng.random() < WITH_DOCUMENT:
                    delivery.update(DOCUMENT_FIELDS, filename=f"{service.code.lower()}.pdf")
                handed_over = at + datetime.timedelta(hours=rng.uniform(2, 72))
                if filed_by and rng.random() < HANDED_OVER and handed_over < cut:
                    handed_over = handed_over.replace(microsecond=0)
                    delivery.update(handed_over_at=handed_over, handed_over_by=filed_by)
                    events.append(event(handed_over, "handed_over", filed_by, note="Handed over at the counter."))
                    version += 1
            if transition.target in STOPPED:
                closed_at = at
        if paused_at is not None:
            pauses.append(Pause(paused_at, None))
        row = dict(tracking_number=_tracking_number(rng, received.year, self.taken), citizen=citizen,
                   service=service.id, district=district.id, area=area.id, status=status, submitted_at=received,
                   tat_value=service.tat_value, tat_unit=service.tat_unit, due_at=due, closed_at=closed_at,
                   assigned_officer=assignee if steps else None, filed_by=filed_by, form_values={},
                   version=version, demo=True)
        return Story(row, events, pauses, delivery)


def make(rng, count, days, until, leave_from, areas, staff, citizens):
    """`count` requests filed on `days` (IST dates), told up to `until`; returns (Counter of statuses, history rows).

    `staff` is models.demo.Staff: who routing sends them to; those on leave
    since `leave_from` are passed by and do nothing after it. `areas` and
    `citizens` are by district id. A batch at a time, in the caller's transaction.
    """
    statuses, history = Counter(), 0
    if not count:
        return statuses, history
    source = Requests(rng, days, until, leave_from, areas, staff, citizens)
    for start in range(0, count, bulk.BATCH):
        stories = [source.story() for _ in range(min(bulk.BATCH, count - start))]
        bulk.insert(ServiceRequest, [story.row for story in stories])
        numbers = [story.row["tracking_number"] for story in stories]
        ids = dict(ServiceRequest.select(ServiceRequest.tracking_number, ServiceRequest.id)
                   .where(ServiceRequest.tracking_number.in_(numbers)).tuples())
        events, pauses, deliveries = [], [], []
        for story in stories:
            request = ids[story.row["tracking_number"]]
            events += [dict(e, request=request) for e in story.events]
            pauses += [dict(request=request, paused_at=p.paused_at, resumed_at=p.resumed_at) for p in story.pauses]
            if story.delivery:
                deliveries.append(dict(story.delivery, request=request))
            statuses[story.row["status"]] += 1
        bulk.insert(RequestEvent, events)
        bulk.insert(RequestPause, pauses)
        bulk.insert(Delivery, deliveries)
        history += len(events)
    return statuses, history
